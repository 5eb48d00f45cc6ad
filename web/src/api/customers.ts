import { api, NotAvailableError } from './client';
import type { PortfolioRow } from '../customer-list';
import type { Customer, Invoice, Page } from './types';

export type { PortfolioRow };

type Json = Record<string, unknown>;

async function optional<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof NotAvailableError) return null;
    throw e;
  }
}

export interface Portfolio {
  rows: PortfolioRow[];
  /** Which enrichments the service offers (columns without a source are shown as not available). */
  has: { encours: boolean; scores: boolean; collectors: boolean; reminders: boolean };
}

/** The whole portfolio (one encours report, scores and dunning settings), filtered and sorted for display. */
export async function portfolio(): Promise<Portfolio> {
  const [enc, scores, settings] = await Promise.all([
    optional(api.get<{ customers: Json[] }>('/v1/reports/encours')),
    optional(api.get<{ items: Json[] }>('/v1/reports/scores')),
    optional(api.get<{ items: Json[] }>('/v1/dashboard/customers')),
  ]);
  const scoreBy = new Map((scores?.items ?? []).map((s) => [String(s.customerId), s]));
  const settingsBy = new Map((settings?.items ?? []).map((s) => [String(s.customerId), s]));
  let rows: PortfolioRow[];
  if (enc) {
    rows = enc.customers
      .filter((c) => c.customerId)
      .map((c) => ({
        customerId: String(c.customerId),
        name: String(c.name),
        currency: String(c.currency),
        encoursMinor: c.totalMinor as number,
        overdueMinor: c.overdueMinor as number,
        score: null,
        segment: null,
        lastReminderAt: null,
        collector: null,
      }));
  } else {
    rows = [];
    let cursor: string | null = null;
    do {
      const page: Page<Customer> = await api.get<Page<Customer>>('/v1/customers', { limit: 1000, cursor });
      rows.push(
        ...page.items.map((c) => ({
          customerId: c.id,
          name: c.name,
          currency: c.currency ?? 'EUR',
          encoursMinor: null,
          overdueMinor: null,
          score: null,
          segment: null,
          lastReminderAt: null,
          collector: null,
        })),
      );
      cursor = page.nextCursor;
    } while (cursor);
  }
  for (const r of rows) {
    const s = scoreBy.get(r.customerId);
    if (s) {
      r.score = (s.score ?? null) as number | null;
      r.segment = (s.segment ?? null) as string | null;
    }
    const d = settingsBy.get(r.customerId);
    if (d) {
      r.collector = (d.collector ?? null) as string | null;
      r.lastReminderAt = (d.lastReminderAt ?? null) as string | null;
    }
  }
  return { rows, has: { encours: !!enc, scores: !!scores, collectors: !!settings, reminders: !!settings } };
}

export function customer(id: string): Promise<Customer> {
  return api.get<Customer>(`/v1/customers/${id}`);
}

export async function openInvoices(customerId: string): Promise<Invoice[]> {
  const items: Invoice[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Invoice> = await api.get<Page<Invoice>>('/v1/invoices', { customer: customerId, status: 'open', limit: 1000, cursor });
    items.push(...page.items.filter((i) => i.outstandingMinor !== 0));
    cursor = page.nextCursor;
  } while (cursor && items.length < 5000);
  return items.sort((a, b) => (a.dueDate ?? '').localeCompare(b.dueDate ?? ''));
}

export interface ScoreComponent {
  value: number | null;
  penalty: number;
  max: number;
}

export interface PayerScore {
  customerId: string;
  score: number;
  segment: string;
  asOf: string;
  components: Record<string, ScoreComponent>;
}

export function score(customerId: string): Promise<PayerScore> {
  return api.get<PayerScore>(`/v1/customers/${customerId}/score`);
}

export function dunningSettings(customerId: string): Promise<{ customerId: string; excluded: boolean; exclusionReason: string | null; collector: string | null }> {
  return api.get(`/v1/dunning/customers/${customerId}`);
}
