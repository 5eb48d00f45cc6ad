import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsOptional, IsUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { Auth, type AuthContext } from '../../common/auth/auth-context';
import { VARIANT_REPORT } from './variant-report.query';

export class VariantReportQuery {
  @IsOptional() @IsUUID()
  policy?: string;
}

@ApiTags('dunning')
@ApiBearerAuth()
@Controller('v1/dunning/reports')
export class VariantReportController {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** A/B test of policy variants: days to pay after the first reminder, by variant. */
  @Get('variants')
  async variants(@Auth() auth: AuthContext, @Query() q: VariantReportQuery) {
    const rows = await this.ds.query(VARIANT_REPORT, [auth.tenantId, q.policy ?? null]);
    return {
      items: rows.map((r: Record<string, string | number | null>) => ({
        policyId: r.policy_id,
        policyName: r.policy_name,
        variant: r.variant,
        invoices: r.invoices,
        paid: r.paid,
        /** Days, to a tenth (decimal string); null when none is paid yet. */
        avgDaysToPay: r.avg_days_to_pay,
      })),
    };
  }
}
