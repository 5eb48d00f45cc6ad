import { IsIn, IsOptional, IsString, Matches } from 'class-validator';

/** Settings of a QuickBooks Online connection. */
export class QboSettings {
  /** The company (`realmId` returned with the authorization code; set by the consent flow). */
  @IsOptional() @IsString() @Matches(/^\d{1,30}$/, { message: 'realmId must be the numeric QuickBooks company id' })
  realmId?: string;

  /** `sandbox` companies live on QBO_SANDBOX_API_URL. */
  @IsOptional() @IsIn(['production', 'sandbox'])
  environment?: 'production' | 'sandbox' = 'production';

  /**
   * Where reminder status is written back: the invoice's `PrivateNote` (default), or the
   * string custom field with this `DefinitionId` (at most 31 characters are kept there).
   */
  @IsOptional() @IsString() @Matches(/^\d{1,10}$/, { message: 'writeBackCustomFieldId must be a custom field DefinitionId' })
  writeBackCustomFieldId?: string;
}

/** OAuth2 credentials of the app and the company's refresh token (stored encrypted). */
export class QboCredentials {
  @IsString() clientId: string;
  @IsString() clientSecret: string;
  @IsString() refreshToken: string;
  @IsOptional() @IsString() accessToken?: string;
  @IsOptional() @IsString() accessTokenExpiresAt?: string;
}
