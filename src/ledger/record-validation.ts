import { PermanentSyncError, type SyncBatch } from '../connectors/connector';

/** A normalized record that cannot be written: the source data fails validation (no retry). */
export class InvalidRecordError extends PermanentSyncError {
  constructor(readonly entity: string, readonly externalId: string, readonly field: string, reason: string) {
    super(`${entity} ${JSON.stringify(externalId)}: ${field}: ${reason}`);
    this.name = 'InvalidRecordError';
  }
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const CURRENCY = /^[A-Z]{3}$/;
/** PostgreSQL bigint range. */
const MAX = 9223372036854775807n;
const MIN = -9223372036854775808n;

function id(entity: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 500) {
    throw new InvalidRecordError(entity, String(v), 'externalId', 'must be a non-empty string of at most 500 characters');
  }
  return v;
}

function date(entity: string, ext: string, field: string, v: unknown): void {
  if (typeof v !== 'string' || !DATE.test(v)) throw new InvalidRecordError(entity, ext, field, `must be a YYYY-MM-DD date, got ${JSON.stringify(v)}`);
}

function currency(entity: string, ext: string, v: unknown): void {
  if (typeof v !== 'string' || !CURRENCY.test(v)) throw new InvalidRecordError(entity, ext, 'currency', `must be an ISO 4217 code, got ${JSON.stringify(v)}`);
}

function minor(entity: string, ext: string, field: string, v: unknown): void {
  if (typeof v !== 'bigint') throw new InvalidRecordError(entity, ext, field, 'must be a bigint amount in minor units');
  if (v > MAX || v < MIN) throw new InvalidRecordError(entity, ext, field, 'out of range');
}

function text(entity: string, ext: string, field: string, v: unknown): void {
  if (typeof v !== 'string' || v.length === 0) throw new InvalidRecordError(entity, ext, field, 'must be a non-empty string');
}

/**
 * Checks the shape of every record of a batch before anything is written, so that bad
 * source data fails the run with the offending record named, not with a database error.
 */
export function validateBatch(batch: SyncBatch): void {
  for (const c of batch.customers ?? []) {
    const ext = id('customer', c.externalId);
    if (typeof c.name !== 'string') throw new InvalidRecordError('customer', ext, 'name', 'must be a string');
    if (c.currency != null) currency('customer', ext, c.currency);
    if (c.termsDays != null && (!Number.isInteger(c.termsDays) || c.termsDays < 0 || c.termsDays > 3650)) {
      throw new InvalidRecordError('customer', ext, 'termsDays', 'must be an integer between 0 and 3650');
    }
    if (c.creditLimitMinor != null) minor('customer', ext, 'creditLimitMinor', c.creditLimitMinor);
  }
  for (const i of batch.invoices ?? []) {
    const ext = id('invoice', i.externalId);
    text('invoice', ext, 'customerExternalId', i.customerExternalId);
    if (i.kind !== 'invoice' && i.kind !== 'credit_note') throw new InvalidRecordError('invoice', ext, 'kind', 'must be invoice or credit_note');
    if (i.status !== 'open' && i.status !== 'paid' && i.status !== 'void') throw new InvalidRecordError('invoice', ext, 'status', 'must be open, paid or void');
    if (typeof i.number !== 'string') throw new InvalidRecordError('invoice', ext, 'number', 'must be a string');
    date('invoice', ext, 'issueDate', i.issueDate);
    if (i.dueDate != null) date('invoice', ext, 'dueDate', i.dueDate);
    currency('invoice', ext, i.currency);
    minor('invoice', ext, 'totalMinor', i.totalMinor);
    if (i.currencyRate != null && !/^\d+(\.\d+)?$/.test(i.currencyRate)) throw new InvalidRecordError('invoice', ext, 'currencyRate', 'must be a positive decimal');
  }
  for (const p of batch.payments ?? []) {
    const ext = id('payment', p.externalId);
    text('payment', ext, 'customerExternalId', p.customerExternalId);
    date('payment', ext, 'date', p.date);
    currency('payment', ext, p.currency);
    minor('payment', ext, 'amountMinor', p.amountMinor);
    if (p.kind != null && !['payment', 'overpayment', 'prepayment', 'opening'].includes(p.kind)) {
      throw new InvalidRecordError('payment', ext, 'kind', 'must be payment, overpayment, prepayment or opening');
    }
  }
  for (const a of batch.allocations ?? []) {
    const ext = id('allocation', a.externalId);
    text('allocation', ext, 'invoiceExternalId', a.invoiceExternalId);
    if (!a.paymentExternalId && !a.creditNoteExternalId) {
      throw new InvalidRecordError('allocation', ext, 'paymentExternalId', 'an allocation needs a payment or a credit note');
    }
    date('allocation', ext, 'date', a.date);
    currency('allocation', ext, a.currency);
    minor('allocation', ext, 'amountMinor', a.amountMinor);
  }
  for (const d of batch.deletions ?? []) {
    if (!['customer', 'invoice', 'payment', 'allocation'].includes(d.entity)) {
      throw new InvalidRecordError('deletion', String(d.externalId), 'entity', 'must be customer, invoice, payment or allocation');
    }
    id(d.entity, d.externalId);
  }
}
