import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext, RequireRole } from '../../common/auth/auth-context';
import { ListQuery, NewDisputeDto, NewPromiseDto, ResolveDisputeDto } from '../dunning.dto';
import { DisputesService } from './disputes.service';
import { PromisesService } from './promises.service';

@ApiTags('dunning')
@ApiBearerAuth()
@Controller('v1')
export class CollabController {
  constructor(
    private readonly disputes: DisputesService,
    private readonly promises: PromisesService,
  ) {}

  @Get('disputes')
  async listDisputes(@Auth() auth: AuthContext, @Query() q: ListQuery) {
    return { items: await this.disputes.list(auth.tenantId, { invoiceId: q.invoice, customerId: q.customer, status: q.status }) };
  }

  /** Opens a dispute: the invoice leaves the reminders (it stays in encours and aging) until resolved. */
  @Post('disputes')
  @RequireRole('operator')
  openDispute(@Auth() auth: AuthContext, @Body() dto: NewDisputeDto) {
    return this.disputes.open(auth.tenantId, dto, auth.keyId);
  }

  @Post('disputes/:id/resolve')
  @HttpCode(200)
  @RequireRole('operator')
  resolveDispute(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ResolveDisputeDto) {
    return this.disputes.resolve(auth.tenantId, id, dto.note ?? null, auth.keyId);
  }

  @Get('promises')
  async listPromises(@Auth() auth: AuthContext, @Query() q: ListQuery) {
    return { items: await this.promises.list(auth.tenantId, q.customer, q.status) };
  }

  /** Records a promise to pay: reminders of the covered invoices pause until the date + grace. */
  @Post('promises')
  @RequireRole('operator')
  createPromise(@Auth() auth: AuthContext, @Body() dto: NewPromiseDto) {
    return this.promises.create(auth.tenantId, dto, auth.keyId);
  }

  @Post('promises/:id/cancel')
  @HttpCode(200)
  @RequireRole('operator')
  cancelPromise(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.promises.cancel(auth.tenantId, id, auth.keyId);
  }
}
