import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext, Public, RequireRole } from '../../common/auth/auth-context';
import { QboOAuthService } from './qbo-oauth.service';

@ApiTags('connections')
@Controller('v1')
export class QboOAuthController {
  constructor(private readonly oauth: QboOAuthService) {}

  /** The Intuit consent URL for this QuickBooks connection; open it in a browser as a company admin. */
  @Get('connections/:id/quickbooks/authorize')
  @ApiBearerAuth()
  @RequireRole('admin')
  authorize(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.oauth.authorizeUrl(auth.tenantId, id);
  }

  /** Intuit redirects here after consent with `code`, `state` and `realmId` (public: the sealed state identifies the connection). */
  @Get('oauth/quickbooks/callback')
  @Public()
  callback(@Query('code') code?: string, @Query('state') state?: string, @Query('realmId') realmId?: string, @Query('error') error?: string) {
    return this.oauth.callback({ code, state, realmId, error });
  }
}
