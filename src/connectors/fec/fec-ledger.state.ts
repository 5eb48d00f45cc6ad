import { IntColumn, MinorColumn, StringTable, TextColumn } from './fec-columns';

/**
 * What the builder keeps of a FEC, as columns (row = entry, document or lettered part):
 *
 * - entry: lines grouped by (JournalCode, EcritureNum, date) — its journal, number, date,
 *   running debit − credit, account flags, first line, first document;
 * - document: the net of one customer's lines in one entry (linked list per entry);
 * - part: a document's lettered amount under one (account, aux account, code) key (linked
 *   list per document).
 *
 * Strings that repeat (journals, dates, accounts, customers, codes) are interned ids; the
 * others (EcritureNum, PieceRef) are UTF-8 in pages off the JS heap.
 */
export class FecEntries {
  readonly strings = new StringTable();

  readonly eJournal = new IntColumn();
  readonly eDate = new IntColumn();
  /** EcritureNum; '' for entries without a number (keyed by PieceRef instead). */
  readonly eNum = new TextColumn();
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
  readonly dPieceRef = new TextColumn();
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

  /** Drops the lettered parts (once lettering is allocated, the records do not need them). */
  clearParts(): void {
    for (const c of [this.pDoc, this.pAccount, this.pAux, this.pCode, this.pAmount, this.pDateLet, this.pLine, this.pNext, this.dPart]) c.clear();
  }

  /** `VE/123/2024-01-15`, or `VE/2024-01-15/FA12` for entries without a number. */
  idBase(e: number): string {
    const num = this.eNum.get(e);
    const journal = this.str(this.eJournal.get(e));
    const date = this.str(this.eDate.get(e));
    return num ? `${journal}/${num}/${date}` : `${journal}/${date}/${this.ePiece.get(e)}`;
  }
}

/**
 * Entries by (journal, date, EcritureNum) — or (journal, date, PieceRef) when unnumbered:
 * open addressing over an Int32Array of entry rows, keys compared against the columns.
 */
export class EntryIndex {
  private slots = new Int32Array(1 << 16).fill(-1);
  private readonly hashes = new IntColumn();
  private size = 0;

  constructor(private readonly s: FecEntries) {}

  /** The entry, or −1. `num` is '' for unnumbered entries. */
  find(journal: number, date: number, num: string, pieceRef: string, h: number): number {
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const e = this.slots[i];
      if (e < 0) return -1;
      if (this.hashes.get(e) === h && this.matches(e, journal, date, num, pieceRef)) return e;
    }
  }

  /** Indexes entry `e` (the next row, just added), of hash `h`. */
  add(e: number, h: number): void {
    this.hashes.push(h);
    if (++this.size * 2 > this.slots.length) this.grow();
    else this.place(e, h);
  }

  /** Key hash of (journal, date, num or PieceRef). */
  static hash(journal: number, date: number, num: string, pieceRef: string): number {
    let h = Math.imul(journal ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(date + 1, 0xc2b2ae35);
    const text = num || '\u0002' + pieceRef;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    h ^= h >>> 15;
    return Math.imul(h, 0x2c1b3c6d) ^ (h >>> 12);
  }

  private matches(e: number, journal: number, date: number, num: string, pieceRef: string): boolean {
    const s = this.s;
    if (s.eJournal.get(e) !== journal || s.eDate.get(e) !== date) return false;
    return num ? s.eNum.get(e) === num : s.eNum.get(e) === '' && s.ePiece.get(e) === pieceRef;
  }

  private place(e: number, h: number): void {
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i] >= 0) i = (i + 1) & mask;
    this.slots[i] = e;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    for (let e = 0; e < this.hashes.length; e++) this.place(e, this.hashes.get(e));
  }
}
