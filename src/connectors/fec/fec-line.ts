/** One validated FEC line, amounts in minor units, dates ISO (YYYY-MM-DD). */
export interface FecLine {
  /** 1-based physical line number in the file (XML: the line of the `<ligne>` element). */
  line: number;
  journalCode: string;
  journalLib: string;
  ecritureNum: string;
  ecritureDate: string;
  compteNum: string;
  compteLib: string;
  compAuxNum: string;
  compAuxLib: string;
  pieceRef: string;
  /** PieceDate, or EcritureDate when the file leaves it empty. */
  pieceDate: string;
  ecritureLib: string;
  /** Debit − credit: positive on the debit side. */
  amountMinor: bigint;
  ecritureLet: string;
  dateLet: string | null;
}

/** Canonical FEC column names (18-column base, Montant/Sens variant, 21/22-column extensions). */
export const FEC_FIELDS = [
  'JournalCode', 'JournalLib', 'EcritureNum', 'EcritureDate', 'CompteNum', 'CompteLib', 'CompAuxNum', 'CompAuxLib',
  'PieceRef', 'PieceDate', 'EcritureLib', 'Debit', 'Credit', 'Montant', 'Sens', 'EcritureLet', 'DateLet', 'ValidDate',
  'MontantDevise', 'Idevise', 'DateRglt', 'ModeRglt', 'NatOp', 'IdClient',
] as const;
export type FecField = (typeof FEC_FIELDS)[number];
