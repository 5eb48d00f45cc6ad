import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext, RequireRole } from '../../common/auth/auth-context';
import { NewWebhookDto } from '../dunning.dto';
import { OutgoingService } from './outgoing.service';

@ApiTags('dunning')
@ApiBearerAuth()
@Controller('v1/dunning/webhooks')
@RequireRole('admin')
export class WebhooksController {
  constructor(private readonly outgoing: OutgoingService) {}

  @Get()
  list(@Auth() auth: AuthContext) {
    return this.outgoing.listWebhooks(auth.tenantId);
  }

  /** The signing secret is in the response once and never again. */
  @Post()
  create(@Auth() auth: AuthContext, @Body() dto: NewWebhookDto) {
    return this.outgoing.createWebhook(auth.tenantId, dto.url, dto.events ?? [], auth.keyId);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    await this.outgoing.deleteWebhook(auth.tenantId, id, auth.keyId);
  }
}
