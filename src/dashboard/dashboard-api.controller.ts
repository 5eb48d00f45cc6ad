import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsDateString, IsOptional } from 'class-validator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { PageQuery } from '../common/http/pagination';
import { BUILT_IN_TEMPLATES } from '../dunning/channels/templates';
import { DashboardService } from './dashboard.service';

export class TrendQuery {
  @ApiPropertyOptional({ description: 'YYYY-MM-DD; default today in the tenant timezone' })
  @IsOptional() @IsDateString({ strict: true })
  asOf?: string;
}

/** Read endpoints shaped for the dashboard (viewer and up). */
@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('v1/dashboard')
export class DashboardApiController {
  constructor(private readonly dashboard: DashboardService) {}

  /** DSO, best possible DSO and average days delinquent at the last 12 month ends. */
  @Get('dso-trend')
  dsoTrend(@Auth() auth: AuthContext, @Query() q: TrendQuery) {
    return this.dashboard.dsoTrend(auth.tenantId, q.asOf);
  }

  /** Assigned collector and last reminder sent, per customer (customers with neither are omitted). */
  @Get('customers')
  customers(@Auth() auth: AuthContext) {
    return this.dashboard.customerDunning(auth.tenantId);
  }

  /** The built-in reminder templates (FR and EN) by step key, used where a policy step has no templates of its own. */
  @Get('templates')
  templates() {
    return { templates: BUILT_IN_TEMPLATES };
  }

  /** Reminders after approval with their delivery status, newest first. */
  @Get('reminders')
  reminders(@Auth() auth: AuthContext, @Query() q: PageQuery) {
    return this.dashboard.reminders(auth.tenantId, q);
  }
}
