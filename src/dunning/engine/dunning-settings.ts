import { JURISDICTIONS, type Jurisdiction } from '../penalties/penalty-rates';
import type { Language } from '../policies/policy.types';

/** A tenant's dunning options, from `tenants.settings.dunning` (all optional). */
export interface DunningSettings {
  /** Late-payment penalties regime. */
  jurisdiction: Jurisdiction;
  /** Sender of reminder e-mails and letters; default DUNNING_FROM. */
  from: string | null;
  replyTo: string | null;
  /** Signature under messages; default the tenant's name. */
  senderName: string | null;
  /** Language when the customer has none. */
  defaultLanguage: Language;
  /** Sending window in the tenant's timezone: ISO weekdays (1 = Monday) and hours [from, to). */
  sendingDays: number[];
  sendingHours: [number, number];
  /** Contractual late-payment rate (basis points), replacing the statutory one (France). */
  contractualRateBp: number | null;
  /**
   * A connection not synced within DUNNING_SYNC_FRESHNESS_HOURS: `sync` it first (scheduled
   * connections; upload-only ones are held), or `hold` its invoices.
   */
  staleSync: 'sync' | 'hold';
}

export const DEFAULT_DUNNING_SETTINGS: DunningSettings = {
  jurisdiction: 'FR',
  from: null,
  replyTo: null,
  senderName: null,
  defaultLanguage: 'fr',
  sendingDays: [1, 2, 3, 4, 5],
  sendingHours: [8, 18],
  contractualRateBp: null,
  staleSync: 'sync',
};

export function dunningSettings(tenantSettings: Record<string, unknown> | null | undefined): DunningSettings {
  const raw = (tenantSettings?.dunning ?? {}) as Partial<DunningSettings>;
  const s = { ...DEFAULT_DUNNING_SETTINGS, ...raw };
  if (!JURISDICTIONS.includes(s.jurisdiction)) s.jurisdiction = 'FR';
  if (s.defaultLanguage !== 'en') s.defaultLanguage = 'fr';
  if (s.staleSync !== 'hold') s.staleSync = 'sync';
  return s;
}

/**
 * Connections whose last successful sync is older than this are stale (DUNNING_SYNC_FRESHNESS_HOURS;
 * 0: never, null).
 */
export function staleSyncCutoff(freshnessHours: number, now: Date): Date | null {
  return freshnessHours === 0 ? null : new Date(now.getTime() - freshnessHours * 3_600_000);
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Whether `at` falls in the sending window, in the tenant's timezone. */
export function inSendingWindow(at: Date, timezone: string, s: Pick<DunningSettings, 'sendingDays' | 'sendingHours'>): boolean {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, weekday: 'short', hour: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const day = WEEKDAYS[parts.find((p) => p.type === 'weekday')!.value];
  const hour = Number(parts.find((p) => p.type === 'hour')!.value);
  return s.sendingDays.includes(day) && hour >= s.sendingHours[0] && hour < s.sendingHours[1];
}
