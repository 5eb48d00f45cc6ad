import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { ValidationError } from '../../common/errors';
import type { PaymentTerms } from './fec-ledger.types';

/** Default payment terms of a fec connection. */
export const DEFAULT_TERMS: PaymentTerms = { days: 30, endOfMonth: false };

export class FecTermsSettings {
  @IsInt() @Min(0) @Max(366)
  days: number;

  @IsOptional() @IsBoolean()
  endOfMonth?: boolean;
}

/** Settings of a `fec` connection (all optional). */
export class FecSettings {
  /** Directory watched on scheduled/manual syncs; files matching `pattern` are imported when new or changed. */
  @IsOptional() @IsString() @Length(1, 1000)
  directory?: string;

  /** Glob on file names (`*` and `?`), case-insensitive; default `*`. */
  @IsOptional() @IsString() @Length(1, 200)
  pattern?: string;

  /** Accounting currency of the books (Debit/Credit columns); default EUR. */
  @IsOptional() @Matches(/^[A-Z]{3}$/)
  currency?: string;

  /** Terms for customers without their own; default 30 days (stored with the connection, so every path derives the same due dates). */
  @IsOptional() @ValidateNested() @Type(() => FecTermsSettings)
  defaultTerms?: FecTermsSettings = Object.assign(new FecTermsSettings(), DEFAULT_TERMS);

  /** Terms per customer key (CompAuxNum, or the general account): `{"C001": {"days": 45, "endOfMonth": true}}`. */
  @IsOptional() @IsObject()
  customerTerms?: Record<string, { days: number; endOfMonth?: boolean }>;

  /** 419 (customer advances) counts against the customer's outstanding; default true. */
  @IsOptional() @IsBoolean()
  advancesCountAgainstOutstanding?: boolean;

  /** Fiscal-year start (YYYY-MM-DD) for opening detection; default: the file's first date. */
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/)
  fiscalYearStart?: string;
}

export interface ResolvedFecSettings {
  directory: string | null;
  pattern: string;
  currency: string;
  defaultTerms: PaymentTerms;
  customerTerms: Record<string, PaymentTerms>;
  advancesAreCustomer: boolean;
  fiscalYearStart: string | null;
}

/** Settings with defaults applied; `customerTerms` entries are checked here (free-form keys). */
export function resolveFecSettings(raw: Record<string, unknown>): ResolvedFecSettings {
  const s = raw as FecSettings;
  const customerTerms: Record<string, PaymentTerms> = {};
  const problems: { field: string; message: string }[] = [];
  for (const [key, t] of Object.entries(s.customerTerms ?? {})) {
    const days = (t as { days?: unknown })?.days;
    const eom = (t as { endOfMonth?: unknown })?.endOfMonth;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 0 || days > 366) {
      problems.push({ field: `settings.customerTerms.${key}.days`, message: 'must be an integer between 0 and 366' });
    } else if (eom !== undefined && typeof eom !== 'boolean') {
      problems.push({ field: `settings.customerTerms.${key}.endOfMonth`, message: 'must be a boolean' });
    } else customerTerms[key] = { days, endOfMonth: eom === true };
  }
  if (problems.length) throw new ValidationError(problems);
  return {
    directory: s.directory ?? null,
    pattern: s.pattern ?? '*',
    currency: s.currency ?? 'EUR',
    defaultTerms: { days: s.defaultTerms?.days ?? DEFAULT_TERMS.days, endOfMonth: s.defaultTerms?.endOfMonth ?? DEFAULT_TERMS.endOfMonth },
    customerTerms,
    advancesAreCustomer: s.advancesCountAgainstOutstanding ?? true,
    fiscalYearStart: s.fiscalYearStart ?? null,
  };
}
