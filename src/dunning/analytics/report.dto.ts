import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';

export class AsOfQuery {
  @ApiPropertyOptional({ description: 'YYYY-MM-DD; default today in the tenant timezone' })
  @IsOptional() @IsDateString({ strict: true })
  asOf?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv also when Accept: text/csv' })
  @IsOptional() @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class AgedBalanceQuery extends AsOfQuery {
  @ApiPropertyOptional({ description: 'bucket upper bounds in days past due, e.g. 30,60,90,120 (default: tenant settings)' })
  @IsOptional() @IsString() @Matches(/^\d+(,\d+)*$/, { message: 'buckets must be comma-separated day counts' })
  buckets?: string;

  @ApiPropertyOptional() @IsOptional() @IsUUID()
  connection?: string;

  @ApiPropertyOptional({ description: 'only the N rows with the largest totals, largest first (totals still cover every customer); JSON only' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10_000)
  top?: number;
}

export class EncoursQuery extends AsOfQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID()
  connection?: string;

  @ApiPropertyOptional() @IsOptional() @IsUUID()
  customer?: string;

  @ApiPropertyOptional({ enum: ['customers', 'totals'], description: '`totals`: the tenant totals only, without the customers and companies (dashboards); JSON only' })
  @IsOptional() @IsIn(['customers', 'totals'])
  detail?: 'customers' | 'totals';
}

export class DsoQuery extends AsOfQuery {
  @ApiPropertyOptional({ description: 'period start YYYY-MM-DD (default: 90 days before asOf)' })
  @IsOptional() @IsDateString({ strict: true })
  from?: string;

  @ApiPropertyOptional() @IsOptional() @IsUUID()
  customer?: string;

  @ApiPropertyOptional({ enum: ['customers', 'totals'], description: '`totals`: the tenant lines only, from a tenant-wide query (dashboards); JSON only, not with customer' })
  @IsOptional() @IsIn(['customers', 'totals'])
  detail?: 'customers' | 'totals';
}
