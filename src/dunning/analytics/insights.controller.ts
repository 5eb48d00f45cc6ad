import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { Auth, RequireRole, type AuthContext } from '../../common/auth/auth-context';
import { ALERT_KINDS, type AlertKind } from './alert.entity';
import { AlertsService } from './alerts.service';
import { PayerScoreService } from './payer-score.service';
import { AsOfQuery } from './report.dto';

export class ScoresQuery extends AsOfQuery {
  @ApiPropertyOptional({ enum: ['good', 'watch', 'risky'] }) @IsOptional() @IsIn(['good', 'watch', 'risky'])
  segment?: 'good' | 'watch' | 'risky';
}

export class AlertsQuery {
  @ApiPropertyOptional({ enum: ['open', 'cleared', 'all'], default: 'open' }) @IsOptional() @IsIn(['open', 'cleared', 'all'])
  status?: 'open' | 'cleared' | 'all';

  @ApiPropertyOptional({ enum: ALERT_KINDS }) @IsOptional() @IsIn(ALERT_KINDS)
  kind?: AlertKind;

  @ApiPropertyOptional() @IsOptional() @IsUUID()
  customer?: string;
}

/** Payer scores and alerts. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1')
export class InsightsController {
  constructor(
    private readonly scores: PayerScoreService,
    private readonly alerts: AlertsService,
  ) {}

  /** Every customer's payer score (0–100), its components and segment. */
  @Get('reports/scores')
  async allScores(@Auth() auth: AuthContext, @Query() q: ScoresQuery) {
    const items = await this.scores.scores(auth.tenantId, { asOf: q.asOf });
    return { items: q.segment ? items.filter((s) => s.segment === q.segment) : items };
  }

  @Get('customers/:id/score')
  customerScore(@Auth() auth: AuthContext, @Param('id', ParseUUIDPipe) id: string, @Query() q: AsOfQuery) {
    return this.scores.score(auth.tenantId, id, q.asOf);
  }

  /** Stored alerts with the figures that raised them (open ones by default). */
  @Get('alerts')
  async listAlerts(@Auth() auth: AuthContext, @Query() q: AlertsQuery) {
    return { items: await this.alerts.list(auth.tenantId, { status: q.status, kind: q.kind, customerId: q.customer }) };
  }

  /** Re-evaluates the alert conditions now (also done after each reconciliation run). */
  @Post('alerts/evaluate')
  @HttpCode(200)
  @RequireRole('operator')
  evaluateAlerts(@Auth() auth: AuthContext, @Query() q: AsOfQuery) {
    return this.alerts.evaluate(auth.tenantId, q.asOf);
  }
}
