import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { PageQuery } from '../common/http/pagination';

export class CustomerQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID()
  connection?: string;

  @ApiPropertyOptional({ description: 'name contains (case-insensitive)' }) @IsOptional() @IsString()
  search?: string;

  @ApiPropertyOptional({ description: 'ISO timestamp' }) @IsOptional() @IsDateString()
  updatedSince?: string;
}

export class InvoiceQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID()
  connection?: string;

  @ApiPropertyOptional() @IsOptional() @IsUUID()
  customer?: string;

  @ApiPropertyOptional({ enum: ['open', 'paid', 'void', 'deleted'] }) @IsOptional() @IsIn(['open', 'paid', 'void', 'deleted'])
  status?: string;

  @ApiPropertyOptional({ enum: ['invoice', 'credit_note'] }) @IsOptional() @IsIn(['invoice', 'credit_note'])
  kind?: string;

  @ApiPropertyOptional({ description: 'YYYY-MM-DD, inclusive' }) @IsOptional() @IsDateString({ strict: true })
  dueBefore?: string;

  @ApiPropertyOptional({ description: 'YYYY-MM-DD, inclusive' }) @IsOptional() @IsDateString({ strict: true })
  dueAfter?: string;

  @ApiPropertyOptional({ description: 'ISO timestamp' }) @IsOptional() @IsDateString()
  updatedSince?: string;
}

export class PaymentQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID()
  connection?: string;

  @ApiPropertyOptional() @IsOptional() @IsUUID()
  customer?: string;

  @ApiPropertyOptional({ description: 'ISO timestamp' }) @IsOptional() @IsDateString()
  updatedSince?: string;
}
