import { api } from './client';
import type { AgedBalance } from './types';

/** Receivables figures as the overview shows them; every number is the API's, unchanged. */
export interface EncoursTotals {
  currency: string;
  totalMinor: number;
  overdueMinor: number;
  notDueMinor: number;
  disputedMinor: number;
  unallocatedMinor: number;
}


export interface DsoTrend {
  asOf: string;
  months: Array<{ month: string; asOf: string; from: string; lines: Array<{ currency: string; dso: number | null; bestPossibleDso: number | null; averageDaysDelinquent: number | null }> }>;
}

export interface CashForecast {
  asOf: string;
  weeks: Array<{ week: number; start: string; end: string }>;
  currencies: Array<{ currency: string; weeksMinor: number[]; laterMinor: number; disputedMinor: number; openMinor: number }>;
}

export interface Alert {
  id: string;
  kind: string;
  customerId: string | null;
  customerName: string | null;
  currency: string | null;
  figures: Record<string, unknown>;
  raisedAt: string;
}

type Json = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
const pick = (o: Json, ...keys: string[]): unknown => keys.map((k) => o[k]).find((v) => v !== undefined);

/** Consolidated encours per currency; with `customerId`, that customer's. Only the totals travel (`detail=totals`). */
export async function encours(asOf?: string, customerId?: string): Promise<EncoursTotals[]> {
  const body = await api.get<Json>('/v1/reports/encours', { asOf, customer: customerId, detail: 'totals' });
  const totals = (pick(body, 'totals', 'tenant', 'consolidated') ?? []) as Json[];
  return (Array.isArray(totals) ? totals : [totals]).map((t) => ({
    currency: String(t.currency),
    totalMinor: num(pick(t, 'totalMinor', 'encoursMinor')),
    overdueMinor: num(pick(t, 'overdueMinor')),
    notDueMinor: num(pick(t, 'notDueMinor', 'notYetDueMinor')),
    disputedMinor: num(pick(t, 'disputedMinor')),
    unallocatedMinor: num(pick(t, 'unallocatedMinor')),
  }));
}

/**
 * Whether a month of the DSO trend has a figure to show: a currency line with at least one of
 * DSO, best possible DSO or average days delinquent. Without credit sales over the period the
 * API returns the currency's line with all three null, which the overview states rather than
 * showing dashes or an empty chart.
 */
export function hasDsoFigures(month: DsoTrend['months'][number]): boolean {
  return month.lines.some((l) => l.dso !== null || l.bestPossibleDso !== null || l.averageDaysDelinquent !== null);
}

/** DSO, best possible DSO and average days delinquent at the last 12 month ends; the last is today (the DSO report's tenant lines). */
export function dsoTrend(): Promise<DsoTrend> {
  return api.get<DsoTrend>('/v1/dashboard/dso-trend');
}

/** Customers shown in the overview's aging chart. */
export const AGING_TOP = 10;

/** The aged balance's totals and its AGING_TOP largest customers (`top`). */
export function agedBalance(asOf?: string): Promise<AgedBalance> {
  return api.get<AgedBalance>('/v1/reports/aged-balance', { asOf, top: AGING_TOP });
}

export function forecast(): Promise<CashForecast> {
  return api.get<CashForecast>('/v1/reports/forecast');
}

/** Open alerts, newest first as the API lists them; the overview shows the first few. */
export async function latestAlerts(): Promise<Alert[]> {
  const body = await api.get<{ items: Alert[] }>('/v1/alerts');
  return body.items;
}
