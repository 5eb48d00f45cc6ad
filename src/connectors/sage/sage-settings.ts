import { IsOptional, IsString, Matches } from 'class-validator';

/** Settings of a Sage Business Cloud Accounting connection. */
export class SageSettings {
  /**
   * The business (`GET /businesses` id), sent as `X-Business`. Optional when the user has
   * access to a single business: it is then found on the first call.
   */
  @IsOptional() @IsString() @Matches(/^[0-9a-f]{32}$/, { message: 'businessId must be a Sage business id (32 hex characters)' })
  businessId?: string;
}

/** OAuth2 credentials of the app and the user's (rotating) refresh token (stored encrypted). */
export class SageCredentials {
  @IsString() clientId: string;
  @IsString() clientSecret: string;
  @IsString() refreshToken: string;
  @IsOptional() @IsString() accessToken?: string;
  @IsOptional() @IsString() accessTokenExpiresAt?: string;
}
