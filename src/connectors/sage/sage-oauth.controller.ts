import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext, Public, RequireRole } from '../../common/auth/auth-context';
import { SageOAuthService } from './sage-oauth.service';

@ApiTags('connections')
@Controller('v1')
export class SageOAuthController {
  constructor(private readonly oauth: SageOAuthService) {}

  /** The Sage consent URL for this connection; open it in a browser as the Sage user. */
  @Get('connections/:id/sage/authorize')
  @ApiBearerAuth()
  @RequireRole('admin')
  authorize(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.oauth.authorizeUrl(auth.tenantId, id);
  }

  /** Sage redirects here after consent (public: the sealed state identifies the connection). */
  @Get('oauth/sage/callback')
  @Public()
  callback(@Query('code') code?: string, @Query('state') state?: string, @Query('error') error?: string) {
    return this.oauth.callback({ code, state, error });
  }
}
