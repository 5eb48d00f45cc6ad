import { IntColumn, MinorColumn, StringTable } from './fec-columns';

/**
 * What the builder keeps of a FEC, as columns (row = entry, document or lettered part):
 *
 * - entry: lines grouped by (JournalCode, EcritureNum, date) — its journal, number, date,
 *   running debit − credit, account flags, first line, first document;
 * - document: the net of one customer's lines in one entry (linked list per entry);
 * - part: a document's lettered amount under one (account, aux account, code) key (linked
 *   list per document).
 *
 * Strings that repeat (journals, dates, accounts, customers, codes) are interned ids.
 */
export class FecEntries {
  readonly strings = new StringTable();

  readonly eJournal = new IntColumn();
  readonly eDate = new IntColumn();
  /** EcritureNum; '' for entries without a number (keyed by PieceRef instead). */
  readonly eNum: string[] = [];
  /** PieceRef of the entries without a number. */
  readonly ePiece = new Map<number, string>();
  readonly eSum = new MinorColumn();
  readonly eFlags = new IntColumn();
  readonly eFirstLine = new IntColumn();
  /** First document, −1 when none. */
  readonly eDoc = new IntColumn();

  readonly dEntry = new IntColumn();
  readonly dCustomer = new IntColumn();
  readonly dAmount = new MinorColumn();
  /** 1 while every line is on an advance account (419). */
  readonly dAdvanceOnly = new IntColumn();
  readonly dFirstLine = new IntColumn();
  readonly dPieceRef: string[] = [];
  readonly dPieceDate = new IntColumn();
  /** Next document of the same entry, −1 at the end. */
  readonly dNext = new IntColumn();
  /** First lettered part, −1 when none (usually). */
  readonly dPart = new IntColumn();

  readonly pDoc = new IntColumn();
  readonly pAccount = new IntColumn();
  readonly pAux = new IntColumn();
  readonly pCode = new IntColumn();
  readonly pAmount = new MinorColumn();
  /** Latest DateLet, −1 when none. */
  readonly pDateLet = new IntColumn();
  readonly pLine = new IntColumn();
  readonly pNext = new IntColumn();

  get entryCount(): number {
    return this.eJournal.length;
  }

  get docCount(): number {
    return this.dEntry.length;
  }

  str(id: number): string {
    return this.strings.values[id];
  }

  addEntry(journal: number, num: string, date: number, pieceRef: string, firstLine: number): number {
    const e = this.eJournal.push(journal);
    this.eDate.push(date);
    this.eNum.push(num);
    if (!num) this.ePiece.set(e, pieceRef);
    this.eSum.push(0n);
    this.eFlags.push(0);
    this.eFirstLine.push(firstLine);
    this.eDoc.push(-1);
    return e;
  }

  addDoc(entry: number, customer: number, firstLine: number, pieceRef: string, pieceDate: number): number {
    const d = this.dEntry.push(entry);
    this.dCustomer.push(customer);
    this.dAmount.push(0n);
    this.dAdvanceOnly.push(1);
    this.dFirstLine.push(firstLine);
    this.dPieceRef.push(pieceRef);
    this.dPieceDate.push(pieceDate);
    this.dNext.push(-1);
    this.dPart.push(-1);
    this.appendDoc(entry, d);
    return d;
  }

  /** Links document `d` at the end of `entry`'s list. */
  appendDoc(entry: number, d: number): void {
    this.dEntry.set(d, entry);
    this.dNext.set(d, -1);
    let x = this.eDoc.get(entry);
    if (x < 0) return this.eDoc.set(entry, d);
    for (let n = this.dNext.get(x); n >= 0; n = this.dNext.get(x)) x = n;
    this.dNext.set(x, d);
  }

  /** The document of `customer` in `entry`, or −1. */
  findDoc(entry: number, customer: number): number {
    for (let d = this.eDoc.get(entry); d >= 0; d = this.dNext.get(d)) if (this.dCustomer.get(d) === customer) return d;
    return -1;
  }

  addPart(doc: number, account: number, aux: number, code: number, amount: bigint, dateLet: number, line: number): number {
    const p = this.pDoc.push(doc);
    this.pAccount.push(account);
    this.pAux.push(aux);
    this.pCode.push(code);
    this.pAmount.push(amount);
    this.pDateLet.push(dateLet);
    this.pLine.push(line);
    this.pNext.push(-1);
    this.appendPart(doc, p);
    return p;
  }

  /** Links part `p` at the end of `doc`'s list. */
  appendPart(doc: number, p: number): void {
    this.pDoc.set(p, doc);
    this.pNext.set(p, -1);
    let x = this.dPart.get(doc);
    if (x < 0) return this.dPart.set(doc, p);
    for (let n = this.pNext.get(x); n >= 0; n = this.pNext.get(x)) x = n;
    this.pNext.set(x, p);
  }

  /** The part of `doc` under (account, aux, code), or −1. */
  findPart(doc: number, account: number, aux: number, code: number): number {
    for (let p = this.dPart.get(doc); p >= 0; p = this.pNext.get(p)) {
      if (this.pAccount.get(p) === account && this.pAux.get(p) === aux && this.pCode.get(p) === code) return p;
    }
    return -1;
  }

  /** `VE/123/2024-01-15`, or `VE/2024-01-15/FA12` for entries without a number. */
  idBase(e: number): string {
    const num = this.eNum[e];
    const journal = this.str(this.eJournal.get(e));
    const date = this.str(this.eDate.get(e));
    return num ? `${journal}/${num}/${date}` : `${journal}/${date}/${this.ePiece.get(e)}`;
  }
}
