import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext, RequireRole } from '../../common/auth/auth-context';
import { CustomerDunningDto, NewPauseDto, NoteDto } from '../dunning.dto';
import { ControlsService } from './controls.service';

@ApiTags('dunning')
@ApiBearerAuth()
@Controller('v1')
export class ControlsController {
  constructor(private readonly controls: ControlsService) {}

  @Get('dunning/pauses')
  pauses(@Auth() auth: AuthContext) {
    return this.controls.pauses(auth.tenantId);
  }

  /** Pauses the reminders of a customer or an invoice until a date (inclusive). */
  @Post('dunning/pauses')
  @RequireRole('operator')
  pause(@Auth() auth: AuthContext, @Body() dto: NewPauseDto) {
    return this.controls.pause(auth.tenantId, dto, auth.keyId);
  }

  @Delete('dunning/pauses/:id')
  @HttpCode(204)
  @RequireRole('operator')
  async lift(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    await this.controls.lift(auth.tenantId, id, auth.keyId);
  }

  @Get('dunning/customers/:id')
  customer(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.controls.customerSettings(auth.tenantId, id);
  }

  /** Exclusion ("do not remind", direct debit) and the collector whose portfolio holds the customer. */
  @Put('dunning/customers/:id')
  @RequireRole('operator')
  updateCustomer(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CustomerDunningDto) {
    return this.controls.updateCustomer(auth.tenantId, id, dto, auth.keyId);
  }

  @Post('customers/:id/notes')
  @RequireRole('operator')
  note(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: NoteDto) {
    return this.controls.addNote(auth.tenantId, id, dto.text, dto.invoiceId, auth.keyId);
  }
}
