import type { FecProblem } from './fec-errors';
import { FecFieldError, parseFecAmount, parseFecDate, parseOptionalFecDate, parseSens } from './fec-fields';
import type { FecLayout } from './fec-header';
import type { FecField, FecLine } from './fec-line';

/** Raw field values of one line or XML `<ligne>`, by canonical field name. */
export type FecRawFields = Partial<Record<FecField, string>>;

/** Splits a text line by the layout; reports a wrong column count. */
export function splitFecLine(text: string, layout: FecLayout): string[] | { reason: string } {
  const parts = text.split(layout.separator);
  if (parts.length > layout.columnCount) {
    // A trailing separator (or several) leaves empty extra fields: tolerated.
    for (let i = layout.columnCount; i < parts.length; i++) {
      if (parts[i].trim() !== '') return { reason: `expected ${layout.columnCount} columns, found ${parts.length}` };
    }
  } else if (parts.length < layout.columnCount) {
    return { reason: `expected ${layout.columnCount} columns, found ${parts.length}` };
  }
  return parts;
}

export function fieldsFromParts(parts: string[], layout: FecLayout): FecRawFields {
  const out: FecRawFields = {};
  for (const key in layout.index) {
    const field = key as FecField;
    out[field] = parts[layout.index[field]!];
  }
  return out;
}

/**
 * Validates one line's raw fields into a FecLine. Every problem of the line is reported
 * (not only the first); returns null when there was any.
 */
export function parseFecFields(
  raw: FecRawFields,
  ctx: { file: string; line: number; exponent: number; amounts: FecLayout['amounts'] },
  report: (p: FecProblem) => void,
): FecLine | null {
  let ok = true;
  const problem = (field: string, reason: string) => {
    ok = false;
    report({ file: ctx.file, line: ctx.line, field, reason });
  };
  const text = (f: FecField) => (raw[f] ?? '').trim();
  const guard = <T>(field: FecField, fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof FecFieldError) {
        problem(field, e.reason);
        return fallback;
      }
      throw e;
    }
  };

  const journalCode = text('JournalCode');
  if (!journalCode) problem('JournalCode', 'empty');
  const compteNum = text('CompteNum');
  if (!compteNum) problem('CompteNum', 'empty');
  const ecritureDate = text('EcritureDate') === '' ? (problem('EcritureDate', 'empty'), '') : guard('EcritureDate', () => parseFecDate(raw.EcritureDate!), '');
  const pieceDate = guard('PieceDate', () => parseOptionalFecDate(raw.PieceDate ?? ''), null) ?? ecritureDate;
  const dateLet = guard('DateLet', () => parseOptionalFecDate(raw.DateLet ?? ''), null);
  if (raw.ValidDate !== undefined) guard('ValidDate', () => parseOptionalFecDate(raw.ValidDate!), null);

  let amountMinor = 0n;
  if (ctx.amounts === 'debit-credit') {
    const debit = guard('Debit', () => parseFecAmount(raw.Debit ?? '', ctx.exponent), 0n);
    const credit = guard('Credit', () => parseFecAmount(raw.Credit ?? '', ctx.exponent), 0n);
    amountMinor = debit - credit;
  } else {
    const montant = guard('Montant', () => parseFecAmount(raw.Montant ?? '', ctx.exponent), 0n);
    const sens = guard('Sens', () => parseSens(raw.Sens ?? ''), 1);
    amountMinor = sens === 1 ? montant : -montant;
  }
  if (!ok) return null;
  return {
    line: ctx.line,
    journalCode,
    journalLib: text('JournalLib'),
    ecritureNum: text('EcritureNum'),
    ecritureDate,
    compteNum,
    compteLib: text('CompteLib'),
    compAuxNum: text('CompAuxNum'),
    compAuxLib: text('CompAuxLib'),
    pieceRef: text('PieceRef'),
    pieceDate,
    ecritureLib: text('EcritureLib'),
    amountMinor,
    ecritureLet: text('EcritureLet'),
    dateLet,
  };
}
