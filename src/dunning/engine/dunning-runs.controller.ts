import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext, RequireRole } from '../../common/auth/auth-context';
import { RunDunningDto } from '../dunning.dto';
import { DunningRunsService } from './dunning-runs.service';

@ApiTags('dunning')
@ApiBearerAuth()
@Controller('v1/dunning/runs')
export class DunningRunsController {
  constructor(private readonly runs: DunningRunsService) {}

  /** Plans (and, unless dryRun, writes to the outbox and delivers) the reminders due as of a date. */
  @Post()
  @HttpCode(200)
  @RequireRole('operator')
  run(@Auth() auth: AuthContext, @Body() dto: RunDunningDto) {
    return this.runs.run(auth.tenantId, { asOf: dto.asOf, dryRun: dto.dryRun, trigger: 'api', actor: auth.keyId });
  }

  @Get()
  list(@Auth() auth: AuthContext) {
    return this.runs.list(auth.tenantId);
  }

  @Get(':id')
  get(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.runs.get(auth.tenantId, id);
  }
}
