import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Auth, type AuthContext } from '../../common/auth/auth-context';
import { parseBucketList } from './aging-buckets';
import { AgedBalanceService } from './aged-balance.service';
import { DsoService } from './dso.service';
import { EncoursService } from './encours.service';
import { ForecastService } from './forecast.service';
import { agedBalanceCsv, dsoCsv, encoursCsv, forecastCsv } from './report-csv';
import { AgedBalanceQuery, DsoQuery, EncoursQuery } from './report.dto';

/** `?format=csv` or `Accept: text/csv` answers CSV; JSON otherwise. */
export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  return format === 'csv' || (!format && /\btext\/csv\b/.test(accept ?? ''));
}

export function sendCsv(res: Response, name: string, body: string): string {
  res.type('text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
  return body;
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports')
export class ReportsController {
  constructor(
    private readonly aged: AgedBalanceService,
    private readonly encours: EncoursService,
    private readonly dso: DsoService,
    private readonly forecast: ForecastService,
  ) {}

  /** Aged balance as of a date: `{asOf, buckets, rows, totals}` (totals per currency). */
  @Get('aged-balance')
  async agedBalance(@Auth() auth: AuthContext, @Query() q: AgedBalanceQuery, @Headers('accept') accept: string, @Res({ passthrough: true }) res: Response) {
    const opts = { asOf: q.asOf, bounds: q.buckets ? parseBucketList(q.buckets) : undefined, connectionId: q.connection };
    const csv = wantsCsv(q.format, accept);
    if (q.top && !csv) return this.aged.top(auth.tenantId, q.top, opts);
    const report = await this.aged.report(auth.tenantId, opts);
    return csv ? sendCsv(res, `aged-balance-${report.asOf}`, agedBalanceCsv(report)) : report;
  }

  /** Encours per customer, per company (connection) and for the tenant, per currency. */
  @Get('encours')
  async encoursReport(@Auth() auth: AuthContext, @Query() q: EncoursQuery, @Headers('accept') accept: string, @Res({ passthrough: true }) res: Response) {
    const csv = wantsCsv(q.format, accept);
    if (q.detail === 'totals' && !csv) return this.encours.totals(auth.tenantId, { asOf: q.asOf, connectionId: q.connection, customerId: q.customer });
    const report = await this.encours.report(auth.tenantId, { asOf: q.asOf, connectionId: q.connection, customerId: q.customer });
    return csv ? sendCsv(res, `encours-${report.asOf}`, encoursCsv(report)) : report;
  }

  /** DSO (simple, countback, best possible), average days delinquent and days to pay over a period (default the 90 days to asOf). */
  @Get('dso')
  async dsoReport(@Auth() auth: AuthContext, @Query() q: DsoQuery, @Headers('accept') accept: string, @Res({ passthrough: true }) res: Response) {
    const csv = wantsCsv(q.format, accept);
    if (q.detail === 'totals' && !csv && !q.customer) return this.dso.tenantReport(auth.tenantId, { asOf: q.asOf, from: q.from });
    const report = await this.dso.report(auth.tenantId, { asOf: q.asOf, from: q.from, customerId: q.customer });
    return csv ? sendCsv(res, `dso-${report.to}`, dsoCsv(report)) : report;
  }

  /** Expected receipts per week for the next 13 weeks, per currency. */
  @Get('forecast')
  async forecastReport(@Auth() auth: AuthContext, @Query() q: EncoursQuery, @Headers('accept') accept: string, @Res({ passthrough: true }) res: Response) {
    const report = await this.forecast.report(auth.tenantId, { asOf: q.asOf, customerId: q.customer });
    return wantsCsv(q.format, accept) ? sendCsv(res, `forecast-${report.asOf}`, forecastCsv(report)) : report;
  }
}
