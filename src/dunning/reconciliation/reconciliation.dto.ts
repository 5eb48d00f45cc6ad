import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsInt, IsOptional, IsPositive, IsUUID } from 'class-validator';
import { PageQuery } from '../../common/http/pagination';

export class CreateAllocationDto {
  @ApiProperty() @IsUUID()
  invoiceId: string;

  @ApiPropertyOptional({ description: 'the payment to apply (or creditNoteId)' }) @IsOptional() @IsUUID()
  paymentId?: string;

  @ApiPropertyOptional({ description: 'the credit note to apply (or paymentId)' }) @IsOptional() @IsUUID()
  creditNoteId?: string;

  @ApiProperty({ description: 'minor units, e.g. 12345 = 123.45' }) @IsInt() @IsPositive()
  amountMinor: number;

  @ApiPropertyOptional({ description: 'YYYY-MM-DD; default the later of the two documents dates' }) @IsOptional() @IsDateString({ strict: true })
  date?: string;
}

export class UnmatchedQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID()
  customer?: string;
}
