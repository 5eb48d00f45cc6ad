import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext, RequireRole } from '../common/auth/auth-context';
import { TenantSettingsService } from './tenant-settings.service';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('v1/settings')
export class TenantSettingsController {
  constructor(private readonly settings: TenantSettingsService) {}

  /** The tenant's settings as stored, and in effect (defaults filled in); the SMTP password is never returned. */
  @Get()
  @RequireRole('admin')
  get(@Auth() auth: AuthContext) {
    return this.settings.get(auth.tenantId);
  }

  /** Merges sections key by key (`null`: back to the default; `smtp: null`: the service's SMTP server). */
  @Patch()
  @RequireRole('admin')
  @ApiBody({
    schema: {
      type: 'object',
      example: { timezone: 'Europe/Paris', dunning: { from: 'Acme AR <ar@acme.fr>', sendingHours: [8, 18] }, smtp: { host: 'smtp.acme.fr', port: 587, user: 'ar@acme.fr', password: '…' } },
    },
  })
  update(@Auth() auth: AuthContext, @Body() body: unknown) {
    return this.settings.update(auth.tenantId, body, auth.keyId);
  }

  /** Connects and authenticates to the SMTP server the tenant's reminders go through; sends nothing. */
  @Post('smtp/test')
  @HttpCode(200)
  @RequireRole('admin')
  testSmtp(@Auth() auth: AuthContext) {
    return this.settings.testSmtp(auth.tenantId);
  }
}
