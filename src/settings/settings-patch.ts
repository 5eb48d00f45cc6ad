import type { FieldProblem } from '../common/errors';
import { ValidationError } from '../common/errors';
import { validateBucketBounds } from '../dunning/analytics/aging-buckets';
import { JURISDICTIONS } from '../dunning/penalties/penalty-rates';

/**
 * A change to a tenant's settings (`PATCH /v1/settings`). Each section is merged into the
 * stored one key by key; a key set to `null` goes back to its default; `smtp: null` removes
 * the tenant's own SMTP server (reminders then use the service's). Every problem is reported
 * with its field, and nothing is applied when there is one.
 */
export interface SettingsPatch {
  name?: string;
  timezone?: string;
  sections: Partial<Record<Section, Record<string, unknown> | null>>;
  /** The SMTP password in clear, to be sealed; `undefined`: keep the stored one. */
  smtpPassword?: string | null;
}

export const SECTIONS = ['reconciliation', 'aging', 'scoring', 'dunning', 'smtp'] as const;
export type Section = (typeof SECTIONS)[number];

type Check = (v: unknown) => string | null;

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const int = (lo: number, hi: number): Check => (v) => (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? null : `must be an integer from ${lo} to ${hi}`);
const bool: Check = (v) => (typeof v === 'boolean' ? null : 'must be true or false');
const text = (max: number): Check => (v) => (typeof v === 'string' && v.trim().length > 0 && v.length <= max ? null : `must be a non-empty text of at most ${max} characters`);
const oneOf = (values: readonly string[]): Check => (v) => (typeof v === 'string' && values.includes(v) ? null : `must be one of ${values.join(', ')}`);
/** `ar@acme.fr` or `Acme AR <ar@acme.fr>`. */
const mailbox: Check = (v) =>
  typeof v === 'string' && v.length <= 320 && /^(?:[^<>@]*<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/.test(v.trim())
    ? null
    : 'must be an address, e.g. ar@acme.fr or "Acme AR <ar@acme.fr>"';

const weekdays: Check = (v) =>
  Array.isArray(v) && v.length >= 1 && v.length <= 7 && v.every((d) => Number.isInteger(d) && d >= 1 && d <= 7) && new Set(v).size === v.length
    ? null
    : 'must be distinct ISO weekdays, 1 (Monday) to 7 (Sunday)';
const hours: Check = (v) =>
  Array.isArray(v) && v.length === 2 && v.every((h) => Number.isInteger(h) && h >= 0 && h <= 24) && v[0] < v[1]
    ? null
    : 'must be [from, to] hours with 0 ≤ from < to ≤ 24';
const buckets: Check = (v) => {
  try {
    validateBucketBounds(v);
    return null;
  } catch (e) {
    return e instanceof ValidationError ? e.errors[0].message : String(e);
  }
};
const timezone: Check = (v) => {
  if (typeof v !== 'string' || !v) return 'must be an IANA timezone, e.g. Europe/Paris';
  try {
    new Intl.DateTimeFormat('en', { timeZone: v });
    return null;
  } catch {
    return 'must be an IANA timezone, e.g. Europe/Paris';
  }
};

/** The keys of each section and their checks (null is always accepted: back to the default). */
const SCHEMA: Record<Exclude<Section, 'smtp'>, Record<string, Check>> = {
  reconciliation: { oldestFirst: bool },
  aging: { buckets },
  scoring: { goodFrom: int(0, 100), watchFrom: int(0, 100) },
  dunning: {
    jurisdiction: oneOf(JURISDICTIONS),
    from: mailbox,
    replyTo: mailbox,
    senderName: text(200),
    defaultLanguage: oneOf(['fr', 'en']),
    sendingDays: weekdays,
    sendingHours: hours,
    contractualRateBp: int(0, 100_000),
    staleSync: oneOf(['sync', 'hold']),
  },
};
const SMTP: Record<string, Check> = { host: text(255), port: int(1, 65535), secure: bool, user: text(255), password: text(1000) };

function section(name: string, value: unknown, schema: Record<string, Check>, problems: FieldProblem[]): Record<string, unknown> | null {
  if (!isObj(value)) {
    problems.push({ field: name, message: 'must be an object' });
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    const check = schema[k];
    if (!check) problems.push({ field: `${name}.${k}`, message: `unknown setting (known: ${Object.keys(schema).join(', ')})` });
    else if (v !== null) {
      const p = check(v);
      if (p) problems.push({ field: `${name}.${k}`, message: p });
    }
  }
  return value;
}

/** Validates a PATCH body against the stored settings (for rules across keys); throws ValidationError listing every problem. */
export function parseSettingsPatch(body: unknown, stored: Record<string, unknown>): SettingsPatch {
  const problems: FieldProblem[] = [];
  if (!isObj(body)) throw new ValidationError([{ field: 'body', message: 'must be a JSON object' }]);
  const out: SettingsPatch = { sections: {} };
  for (const key of Object.keys(body)) {
    if (key !== 'name' && key !== 'timezone' && !(SECTIONS as readonly string[]).includes(key)) {
      problems.push({ field: key, message: `unknown setting (known: name, timezone, ${SECTIONS.join(', ')})` });
    }
  }
  if (body.name !== undefined) {
    const p = text(200)(body.name);
    if (p) problems.push({ field: 'name', message: p });
    else out.name = (body.name as string).trim();
  }
  if (body.timezone !== undefined) {
    const p = timezone(body.timezone);
    if (p) problems.push({ field: 'timezone', message: p });
    else out.timezone = body.timezone as string;
  }
  for (const name of ['reconciliation', 'aging', 'scoring', 'dunning'] as const) {
    if (body[name] !== undefined) out.sections[name] = section(name, body[name], SCHEMA[name], problems);
  }
  if (body.smtp === null) out.sections.smtp = null;
  else if (body.smtp !== undefined) {
    const smtp = section('smtp', body.smtp, SMTP, problems);
    if (smtp) {
      const { password, ...rest } = smtp;
      out.sections.smtp = rest;
      if (password !== undefined) out.smtpPassword = password as string | null;
      const merged = { ...(isObj(stored.smtp) ? stored.smtp : {}), ...rest };
      if (!merged.host) problems.push({ field: 'smtp.host', message: 'is required for a tenant SMTP server' });
    }
  }
  const scoring = { ...(isObj(stored.scoring) ? stored.scoring : {}), ...(out.sections.scoring ?? {}) };
  const good = typeof scoring.goodFrom === 'number' ? scoring.goodFrom : 70;
  const watch = typeof scoring.watchFrom === 'number' ? scoring.watchFrom : 40;
  if (out.sections.scoring && !problems.some((p) => p.field.startsWith('scoring.')) && watch >= good) {
    problems.push({ field: 'scoring.watchFrom', message: `must be below goodFrom (${good})` });
  }
  if (problems.length) throw new ValidationError(problems);
  return out;
}

/** The stored settings with the patch's sections merged in (null keys removed, null sections dropped). */
export function mergeSettings(stored: Record<string, unknown>, patch: SettingsPatch): Record<string, unknown> {
  const next: Record<string, unknown> = { ...stored };
  for (const [name, value] of Object.entries(patch.sections)) {
    if (value === null) {
      delete next[name];
      continue;
    }
    const merged: Record<string, unknown> = { ...(isObj(stored[name]) ? (stored[name] as Record<string, unknown>) : {}), ...value };
    for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
    next[name] = merged;
  }
  return next;
}
