import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested,
} from 'class-validator';
import { CHANNELS, type Channel } from '../outbox/dunning-message.entity';
import type { TriggerFrom } from './policy.types';

export class TriggerDto {
  @ApiProperty({ enum: ['due_date', 'issue_date', 'previous_step'] })
  @IsIn(['due_date', 'issue_date', 'previous_step'])
  from: TriggerFrom;

  @ApiProperty({ example: 5 })
  @IsInt() @Min(-365) @Max(3650)
  days: number;
}

export class TemplateDto {
  @IsString() @Length(1, 300)
  subject: string;

  @IsString() @Length(1, 20000)
  body: string;
}

export class TemplatesDto {
  @IsOptional() @ValidateNested() @Type(() => TemplateDto)
  fr?: TemplateDto;

  @IsOptional() @ValidateNested() @Type(() => TemplateDto)
  en?: TemplateDto;
}

export class PolicyStepDto {
  @ApiProperty({ example: 'reminder_1' })
  @IsString() @Matches(/^[a-z0-9_]{1,40}$/)
  key: string;

  @ApiProperty({ type: TriggerDto })
  @ValidateNested() @Type(() => TriggerDto)
  trigger: TriggerDto;

  @ApiProperty({ enum: CHANNELS, isArray: true })
  @ArrayMinSize(1) @ArrayUnique() @IsIn(CHANNELS, { each: true })
  channels: Channel[];

  @ApiPropertyOptional({ type: TemplatesDto })
  @IsOptional() @ValidateNested() @Type(() => TemplatesDto)
  templates?: TemplatesDto;

  @IsOptional() @IsBoolean()
  requiresApproval?: boolean;

  @IsOptional() @IsInt() @Min(0)
  minAmountMinor?: number;

  @IsOptional() @IsBoolean()
  penalties?: boolean;
}

export class PolicyVariantDto {
  @IsString() @Matches(/^[A-Za-z0-9_-]{1,20}$/)
  key: string;

  @IsOptional() @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => PolicyStepDto)
  steps?: PolicyStepDto[];
}

export class PolicyDefinitionDto {
  @ApiProperty({ type: [PolicyStepDto] })
  @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => PolicyStepDto)
  steps: PolicyStepDto[];

  @ApiPropertyOptional({ enum: ['customer', 'invoice'], default: 'customer' })
  @IsOptional() @IsIn(['customer', 'invoice'])
  grouping?: 'customer' | 'invoice';

  @ApiPropertyOptional({ enum: ['highest', 'next'], default: 'highest' })
  @IsOptional() @IsIn(['highest', 'next'])
  catchUp?: 'highest' | 'next';

  @IsOptional() @IsInt() @Min(0)
  approvalAboveMinor?: number | null;

  @IsOptional() @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => PolicyVariantDto)
  variants?: PolicyVariantDto[];
}

export class CreatePolicyDto extends PolicyDefinitionDto {
  @ApiProperty({ example: 'Key accounts' })
  @IsString() @Length(1, 200)
  name: string;

  @IsOptional() @IsBoolean()
  isDefault?: boolean;
}

export class AssignPolicyDto {
  @ApiProperty({ enum: ['invoice', 'customer', 'segment'] })
  @IsIn(['invoice', 'customer', 'segment'])
  scope: 'invoice' | 'customer' | 'segment';

  @ApiProperty({ description: 'invoice or customer id, or segment name' })
  @IsString() @Length(1, 100)
  target: string;
}
