import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Auth, RequireRole, type AuthContext } from '../../common/auth/auth-context';
import { PageQuery } from '../../common/http/pagination';
import { AlertsService } from '../analytics/alerts.service';
import { AllocationsService } from './allocations.service';
import { CreateAllocationDto, UnmatchedQuery } from './reconciliation.dto';
import { ReconciliationService } from './reconciliation.service';

@ApiTags('reconciliation')
@ApiBearerAuth()
@Controller('v1')
export class ReconciliationController {
  constructor(
    private readonly reconciliation: ReconciliationService,
    private readonly allocations: AllocationsService,
    private readonly alerts: AlertsService,
  ) {}

  /** Payments and credit notes left (partly) unallocated, for review. */
  @Get('reconciliation/unmatched')
  unmatched(@Auth() auth: AuthContext, @Query() q: UnmatchedQuery) {
    return this.allocations.unmatched(auth.tenantId, q);
  }

  /** Allocations made by the rules and not yet confirmed or rejected, lowest confidence first. */
  @Get('reconciliation/proposed')
  proposed(@Auth() auth: AuthContext, @Query() q: PageQuery) {
    return this.allocations.proposed(auth.tenantId, q);
  }

  /** Runs the matching rules now, then re-evaluates the alerts. */
  @Post('reconciliation/run')
  @HttpCode(200)
  @RequireRole('operator')
  async run(@Auth() auth: AuthContext) {
    const result = await this.reconciliation.run(auth.tenantId, auth.keyId);
    await this.alerts.evaluate(auth.tenantId);
    return result;
  }

  /** A manual match (audited). */
  @Post('allocations')
  @RequireRole('operator')
  create(@Auth() auth: AuthContext, @Body() body: CreateAllocationDto) {
    return this.allocations.create(auth.tenantId, body, auth.keyId);
  }

  /** Confirms a rule-made allocation (audited). */
  @Post('allocations/:id/confirm')
  @HttpCode(200)
  @RequireRole('operator')
  confirm(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.allocations.confirm(auth.tenantId, id, auth.keyId);
  }

  /** Rejects a rule-made allocation or removes a manual one (audited); source allocations answer 409. */
  @Delete('allocations/:id')
  @HttpCode(204)
  @RequireRole('operator')
  async remove(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.allocations.remove(auth.tenantId, id, auth.keyId);
  }
}
