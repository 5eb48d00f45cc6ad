import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional, IsString, IsUUID, Matches } from 'class-validator';

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
}

export class EncoursQuery extends AsOfQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID()
  connection?: string;

  @ApiPropertyOptional() @IsOptional() @IsUUID()
  customer?: string;
}

export class DsoQuery extends AsOfQuery {
  @ApiPropertyOptional({ description: 'period start YYYY-MM-DD (default: 90 days before asOf)' })
  @IsOptional() @IsDateString({ strict: true })
  from?: string;

  @ApiPropertyOptional() @IsOptional() @IsUUID()
  customer?: string;
}
