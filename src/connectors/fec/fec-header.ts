import { FecFormatError } from './fec-errors';
import type { FecField } from './fec-line';

/** How a text FEC file is laid out, read from its header line. */
export interface FecLayout {
  separator: string;
  /** Number of named columns (a trailing separator adds none). */
  columnCount: number;
  /** Column index of each known field. */
  index: Partial<Record<FecField, number>>;
  amounts: 'debit-credit' | 'montant-sens';
  /** Header names as written (trimmed), for messages. */
  names: string[];
}

/** Header spellings seen in real files, normalised (lower case, no spaces, underscores or accents). */
const ALIASES: Record<string, FecField> = {
  journalcode: 'JournalCode', codejournal: 'JournalCode',
  journallib: 'JournalLib', journallibelle: 'JournalLib',
  ecriturenum: 'EcritureNum', ecritureno: 'EcritureNum',
  ecrituredate: 'EcritureDate',
  comptenum: 'CompteNum',
  comptelib: 'CompteLib', comptelibelle: 'CompteLib',
  compauxnum: 'CompAuxNum', compteauxnum: 'CompAuxNum',
  compauxlib: 'CompAuxLib', compauxlibelle: 'CompAuxLib', compteauxlib: 'CompAuxLib',
  pieceref: 'PieceRef',
  piecedate: 'PieceDate',
  ecriturelib: 'EcritureLib', ecriturelibelle: 'EcritureLib',
  debit: 'Debit',
  credit: 'Credit',
  montant: 'Montant',
  sens: 'Sens',
  ecriturelet: 'EcritureLet', ecriturelettrage: 'EcritureLet',
  datelet: 'DateLet', datelettrage: 'DateLet',
  validdate: 'ValidDate',
  montantdevise: 'MontantDevise',
  idevise: 'Idevise', devise: 'Idevise',
  daterglt: 'DateRglt', datereglement: 'DateRglt',
  modereglt: 'ModeRglt', modereglement: 'ModeRglt',
  natop: 'NatOp',
  idclient: 'IdClient',
};

const REQUIRED: FecField[] = ['JournalCode', 'EcritureNum', 'EcritureDate', 'CompteNum'];
const SEPARATORS = ['\t', '|', ';'];

export function normaliseHeaderName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\s_\-.]/g, '')
    .toLowerCase();
}

/** Reads the header line: separator, columns (case-insensitive, space-padded), amount layout. */
export function parseFecHeader(raw: string, file: string, lineNo: number): FecLayout {
  const text = raw.replace(/^\uFEFF/, '');
  const separator = SEPARATORS.map((s) => ({ s, n: text.split(s).length - 1 })).sort((a, b) => b.n - a.n)[0];
  if (separator.n < 5) {
    throw new FecFormatError(file, lineNo, 'header', 'not a FEC file: no tab or pipe separated header (JournalCode, JournalLib, EcritureNum, …)');
  }
  const names = text.split(separator.s).map((n) => n.trim());
  while (names.length && names[names.length - 1] === '') names.pop();
  const index: Partial<Record<FecField, number>> = {};
  names.forEach((name, i) => {
    const field = ALIASES[normaliseHeaderName(name)];
    if (field && index[field] === undefined) index[field] = i;
  });
  const missing = REQUIRED.filter((f) => index[f] === undefined);
  const hasDebitCredit = index.Debit !== undefined && index.Credit !== undefined;
  const hasMontantSens = index.Montant !== undefined && index.Sens !== undefined;
  if (!hasDebitCredit && !hasMontantSens) missing.push('Debit' as FecField, 'Credit' as FecField);
  if (missing.length) {
    throw new FecFormatError(file, lineNo, 'header', `not a FEC file: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  }
  return { separator: separator.s, columnCount: names.length, index, amounts: hasDebitCredit ? 'debit-credit' : 'montant-sens', names };
}
