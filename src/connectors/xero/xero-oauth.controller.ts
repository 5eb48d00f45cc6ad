import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext, Public, RequireRole } from '../../common/auth/auth-context';
import { ValidationError } from '../../common/errors';
import { XeroOAuthService } from './xero-oauth.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('connections')
@Controller('v1')
export class XeroOAuthController {
  constructor(private readonly oauth: XeroOAuthService) {}

  /** The Xero consent URL for this connection; open it in a browser as a Xero user. */
  @Get('connections/:id/oauth/authorize')
  @ApiBearerAuth()
  @RequireRole('admin')
  @ApiQuery({ name: 'xeroTenantId', required: false, description: 'organisation to bind when the user authorises several' })
  async authorize(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Query('xeroTenantId') xeroTenantId?: string) {
    if (xeroTenantId !== undefined && !UUID.test(xeroTenantId)) throw new ValidationError([{ field: 'xeroTenantId', message: 'must be a UUID' }]);
    return this.oauth.authorizeUrl(auth.tenantId, id, xeroTenantId);
  }

  /** Xero redirects here after consent (public: the sealed `state` identifies the connection). */
  @Get('oauth/callback')
  @Public()
  async callback(@Query('code') code?: string, @Query('state') state?: string, @Query('error') error?: string) {
    return this.oauth.callback(code, state, error);
  }
}
