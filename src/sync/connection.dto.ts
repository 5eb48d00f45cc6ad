import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';

export class ScheduleDto {
  @ApiProperty({ example: '0 2 * * *', description: 'cron expression (5 or 6 fields)' })
  @IsString() @Length(1, 100)
  cron: string;

  @ApiProperty({ example: 'Europe/Paris', description: 'IANA timezone' })
  @IsString() @Length(1, 64)
  timezone: string;
}

export class CreateConnectionDto {
  @ApiProperty({ example: 'fec' })
  @IsString() @Matches(/^[a-z0-9_-]{1,40}$/)
  provider: string;

  @ApiProperty({ example: 'Acme SAS books' })
  @IsString() @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: "validated against the provider's settings schema" })
  @IsOptional() @IsObject()
  settings?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'write-only; encrypted at rest, never returned' })
  @IsOptional() @IsObject()
  credentials?: Record<string, unknown>;

  @ApiPropertyOptional({ type: ScheduleDto })
  @IsOptional() @ValidateNested() @Type(() => ScheduleDto)
  schedule?: ScheduleDto;

  @ApiPropertyOptional({ default: true })
  @IsOptional() @IsBoolean()
  enabled?: boolean;
}

export class UpdateConnectionDto {
  @ApiPropertyOptional()
  @IsOptional() @IsString() @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional() @IsObject()
  settings?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'write-only; replaces the stored credentials' })
  @IsOptional() @IsObject()
  credentials?: Record<string, unknown>;

  @ApiPropertyOptional({ type: ScheduleDto, nullable: true, description: 'null removes the schedule' })
  @IsOptional() @ValidateNested() @Type(() => ScheduleDto)
  schedule?: ScheduleDto | null;

  @ApiPropertyOptional()
  @IsOptional() @IsBoolean()
  enabled?: boolean;
}
