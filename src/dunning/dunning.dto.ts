import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsBoolean, IsDateString, IsIn, IsInt, IsOptional, IsString, IsUrl, IsUUID, Length, Max, Min, ValidateNested,
} from 'class-validator';
import { CALL_OUTCOMES, type CallOutcome } from './tasks/dunning-task.entity';
import { DUNNING_EVENT_TYPES } from './timeline/dunning-event.entity';

export class RunDunningDto {
  @ApiPropertyOptional({ example: '2026-03-02', description: 'default: today in the tenant timezone' })
  @IsOptional() @IsDateString({ strict: true })
  asOf?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional() @IsBoolean()
  dryRun?: boolean;
}

export class DecisionDto {
  @IsOptional() @IsString() @Length(1, 1000)
  reason?: string;
}

export class NewPromiseDto {
  @ApiProperty()
  @IsUUID()
  customerId: string;

  @IsOptional() @ArrayMaxSize(500) @IsUUID('all', { each: true })
  invoiceIds?: string[];

  @ApiProperty({ example: '2026-03-15' })
  @IsDateString({ strict: true })
  promisedDate: string;

  @ApiProperty({ example: 150000, description: 'minor units' })
  @IsInt() @Min(1)
  amountMinor: number;

  @IsOptional() @IsString() @Length(3, 3)
  currency?: string;

  @IsOptional() @IsInt() @Min(0) @Max(90)
  graceDays?: number;

  @IsOptional() @IsString() @Length(0, 2000)
  note?: string;
}

export class PromiseTermsDto {
  @IsOptional() @ArrayMaxSize(500) @IsUUID('all', { each: true })
  invoiceIds?: string[];

  @IsDateString({ strict: true })
  promisedDate: string;

  @IsInt() @Min(1)
  amountMinor: number;

  @IsOptional() @IsString() @Length(3, 3)
  currency?: string;

  @IsOptional() @IsInt() @Min(0) @Max(90)
  graceDays?: number;
}

export class NewDisputeDto {
  @ApiProperty()
  @IsUUID()
  invoiceId: string;

  @ApiProperty({ example: 'goods damaged on delivery' })
  @IsString() @Length(1, 2000)
  reason: string;

  @IsOptional() @IsInt() @Min(1)
  amountMinor?: number;
}

export class ResolveDisputeDto {
  @IsOptional() @IsString() @Length(1, 2000)
  note?: string;
}

export class AssignTaskDto {
  @ApiProperty({ nullable: true })
  @IsOptional() @IsString() @Length(1, 200)
  assignedTo: string | null;
}

export class CompleteTaskDto {
  @ApiProperty({ enum: CALL_OUTCOMES })
  @IsIn(CALL_OUTCOMES)
  outcome: CallOutcome;

  @IsOptional() @IsString() @Length(0, 2000)
  note?: string;

  @IsOptional() @ValidateNested() @Type(() => PromiseTermsDto)
  promise?: PromiseTermsDto;

  @IsOptional() @ValidateNested() @Type(() => NewDisputeDto)
  dispute?: NewDisputeDto;
}

export class NewPauseDto {
  @IsOptional() @IsUUID()
  customerId?: string;

  @IsOptional() @IsUUID()
  invoiceId?: string;

  @ApiProperty({ example: '2026-04-30', description: 'inclusive' })
  @IsDateString({ strict: true })
  until: string;

  @IsString() @Length(1, 1000)
  reason: string;
}

export class CustomerDunningDto {
  @IsOptional() @IsBoolean()
  excluded?: boolean;

  @IsOptional() @IsString() @Length(1, 200)
  exclusionReason?: string | null;

  @IsOptional() @IsString() @Length(1, 200)
  collector?: string | null;
}

export class NoteDto {
  @IsString() @Length(1, 5000)
  text: string;

  @IsOptional() @IsUUID()
  invoiceId?: string;
}

export class NewWebhookDto {
  @ApiProperty({ example: 'https://erp.example.com/hooks/dunning' })
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  url: string;

  @IsOptional() @IsIn(DUNNING_EVENT_TYPES, { each: true })
  events?: string[];
}

export class ListQuery {
  @IsOptional() @IsString()
  status?: string;

  @IsOptional() @IsString()
  assignedTo?: string;

  @IsOptional() @IsUUID()
  customer?: string;

  @IsOptional() @IsUUID()
  invoice?: string;
}
