import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';

/** `settings` of a Xero connection. */
export class XeroSettings {
  @ApiPropertyOptional({ description: 'Xero organisation (tenantId from /connections); set by the OAuth callback' })
  @IsOptional() @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({ description: 'Name of the bound organisation (informational)' })
  @IsOptional() @IsString() @Length(1, 300)
  tenantName?: string;

  @ApiPropertyOptional({ description: 'Records per page (Xero allows up to 1000)', default: 1000 })
  @IsOptional() @IsInt() @Min(1) @Max(1000)
  pageSize?: number;
}

/** `credentials` of a Xero connection (write-only, encrypted). */
export class XeroCredentials {
  @ApiProperty() @IsString() @Length(1, 200)
  clientId: string;

  @ApiProperty() @IsString() @Length(1, 500)
  clientSecret: string;

  @ApiProperty() @IsString() @Length(1, 4000)
  refreshToken: string;

  @ApiPropertyOptional() @IsOptional() @IsString()
  accessToken?: string;

  @ApiPropertyOptional() @IsOptional() @IsISO8601()
  accessTokenExpiresAt?: string;
}

export const XERO_SCOPES = 'offline_access accounting.transactions accounting.contacts accounting.settings';

/** Xero's documented limits per organisation: 60 calls/min, 5 concurrent, 5,000/day. */
export const XERO_LIMITS = {
  perMinute: 60,
  concurrent: 5,
  minuteReserve: 2,
  headers: {
    minuteRemaining: 'x-minlimit-remaining',
    dayRemaining: 'x-daylimit-remaining',
    problem: 'x-rate-limit-problem',
    dailyProblemValue: 'day',
  },
};
