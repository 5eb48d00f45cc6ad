import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext, RequireRole } from '../common/auth/auth-context';
import { PageQuery } from '../common/http/pagination';
import { ConnectionTestService } from './connection-test.service';
import { SyncRunsService } from './sync-runs.service';

@ApiTags('sync')
@ApiBearerAuth()
@Controller('v1')
export class SyncController {
  constructor(
    private readonly runs: SyncRunsService,
    private readonly tester: ConnectionTestService,
  ) {}

  /** Starts a run now (queued for a worker); while one is queued or running, answers that one. */
  @Post('connections/:id/sync')
  @RequireRole('operator')
  @HttpCode(202)
  async sync(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    const { runId, created } = await this.runs.request(auth.tenantId, id, 'manual');
    return { runId, created };
  }

  /** Checks that the source answers with the stored settings and credentials. */
  @Post('connections/:id/test')
  @RequireRole('operator')
  @HttpCode(200)
  test(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.tester.test(auth.tenantId, id);
  }

  @Get('connections/:id/sync-runs')
  list(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Query() q: PageQuery) {
    return this.runs.list(auth.tenantId, id, q);
  }

  @Get('sync-runs/:id')
  get(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.runs.get(auth.tenantId, id);
  }
}
