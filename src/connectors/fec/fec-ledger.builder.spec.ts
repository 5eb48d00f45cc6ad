import { FecValidationError } from './fec-errors';
import type { FecLedger } from './fec-ledger.types';
import { parseFec } from './fec-parse';
import { asAsync, cents, FecRow, fecText, invoiceRows, ledgerRecords, paymentRows } from './testing/fec-fixture';

async function parsed(rows: FecRow[]): Promise<FecLedger> {
  return (await parseFec(asAsync([fecText(rows)]), { file: 'f.txt', currency: 'EUR', advancesAreCustomer: true })).ledger;
}

type Ledger = ReturnType<typeof ledgerRecords> & Pick<FecLedger, 'warnings' | 'stats'>;

async function ledgerOf(rows: FecRow[], opts: Partial<Parameters<typeof parseFec>[1]> = {}): Promise<Ledger> {
  const { ledger } = await parseFec(asAsync([fecText(rows)]), { file: 'f.txt', currency: 'EUR', advancesAreCustomer: true, ...opts });
  return { ...ledgerRecords(ledger), warnings: ledger.warnings, stats: ledger.stats };
}

/** Per-customer outstanding as the ledger will derive it: invoices − credit notes − payments. */
function balances(l: Ledger): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of l.invoices) out[i.customerExternalId] = (out[i.customerExternalId] ?? 0) + Number(i.kind === 'invoice' ? i.totalMinor : -i.totalMinor);
  for (const p of l.payments) out[p.customerExternalId] = (out[p.customerExternalId] ?? 0) - Number(p.amountMinor);
  return out;
}

describe('FecLedgerBuilder', () => {
  it('turns an invoice and its lettered payment into an invoice, a payment and an allocation', async () => {
    const l = await ledgerOf([
      ...invoiceRows({ num: '1', aux: 'C001', auxLib: 'Martin SAS', net: 10000, vat: 2000, let: 'AA', date: '20240110', ref: 'FA001' }),
      ...paymentRows({ num: '7', aux: 'C001', amount: 12000, let: 'AA', date: '20240205' }),
    ]);
    expect(l.customers).toEqual([{ externalId: 'C001', name: 'Martin SAS', currency: 'EUR', termsDays: null, termsEndOfMonth: false }]);
    expect(l.invoices).toEqual([
      expect.objectContaining({
        externalId: 'VE/1/2024-01-10/C001', customerExternalId: 'C001', kind: 'invoice', number: 'FA001', issueDate: '2024-01-10',
        dueDate: null, totalMinor: 12000n, status: 'paid', currency: 'EUR',
      }),
    ]);
    expect(l.payments).toEqual([
      expect.objectContaining({ externalId: 'BQ/7/2024-02-05/C001', kind: 'payment', date: '2024-02-05', amountMinor: 12000n, method: 'bank' }),
    ]);
    expect(l.allocations).toEqual([
      {
        externalId: 'BQ/7/2024-02-05/C001>VE/1/2024-01-10/C001', invoiceExternalId: 'VE/1/2024-01-10/C001',
        paymentExternalId: 'BQ/7/2024-02-05/C001', creditNoteExternalId: null, amountMinor: 12000n, currency: 'EUR', date: '2024-02-05',
      },
    ]);
    expect(l.warnings).toEqual([]);
    expect(l.stats).toMatchObject({ lines: 5, entries: 2, customers: 1, invoices: 1, payments: 1, allocations: 1, totalDebitMinor: 24000n, totalCreditMinor: 24000n });
  });

  it('keys customers booked straight on general accounts (411ACME) by the account', async () => {
    const l = await ledgerOf([
      ...invoiceRows({ num: '1', acct: '411ACME', net: 1000, vat: 200 }).map((r) => (r.acct === '411ACME' ? { ...r, acctLib: 'ACME Industries' } : r)),
      ...invoiceRows({ num: '2', acct: '41100540', net: 500, vat: 100 }),
    ]);
    expect(l.customers.map((c) => [c.externalId, c.name])).toEqual([['41100540', 'Compte 41100540'], ['411ACME', 'ACME Industries']]);
    expect(balances(l)).toEqual({ '411ACME': 1200, '41100540': 600 });
  });

  it('counts 411, 413 and 416 as receivables, 419 advances against them, and ignores 418', async () => {
    const l = await ledgerOf([
      { num: '1', acct: '416000', aux: 'C1', d: '50,00' },
      { num: '1', acct: '411000', aux: 'C1', c: '50,00' },
      { j: 'BQ', num: '2', acct: '512000', d: '30,00' },
      { j: 'BQ', num: '2', acct: '419100', aux: 'C1', c: '30,00' },
      { j: 'OD', num: '3', acct: '418100', d: '99,00' },
      { j: 'OD', num: '3', acct: '706000', c: '99,00' },
      { j: 'VE', num: '4', acct: '413000', aux: 'C2', d: '10,00' },
      { j: 'VE', num: '4', acct: '706000', c: '10,00' },
    ]);
    // The 411 → 416 transfer of C1 nets to nothing; the advance is a prepayment.
    expect(l.payments).toEqual([expect.objectContaining({ customerExternalId: 'C1', kind: 'prepayment', amountMinor: 3000n })]);
    expect(balances(l)).toEqual({ C1: -3000, C2: 1000 });
  });

  it('can leave 419 advances out when the connection says so', async () => {
    const l = await ledgerOf(
      [{ j: 'BQ', num: '2', acct: '512000', d: '30,00' }, { j: 'BQ', num: '2', acct: '419100', aux: 'C1', c: '30,00' }],
      { advancesAreCustomer: false },
    );
    expect(l.payments).toEqual([]);
  });

  it('keys lettering by (account, aux account, code): codes reused across customers stay apart', async () => {
    const l = await ledgerOf([
      ...invoiceRows({ num: '1', aux: 'C1', net: 1000, vat: 0, let: 'AA' }),
      ...invoiceRows({ num: '2', aux: 'C2', net: 5000, vat: 0, let: 'AA' }),
      ...paymentRows({ num: '3', aux: 'C1', amount: 1000, let: 'AA' }),
      ...paymentRows({ num: '4', aux: 'C2', amount: 5000, let: 'AA' }),
    ]);
    expect(l.allocations.map((a) => [a.paymentExternalId, a.invoiceExternalId, a.amountMinor])).toEqual([
      ['BQ/3/2024-01-15/C1', 'VE/1/2024-01-15/C1', 1000n],
      ['BQ/4/2024-01-15/C2', 'VE/2/2024-01-15/C2', 5000n],
    ]);
    expect(l.warnings).toEqual([]);
  });

  it('leaves partial lettering partially open and warns', async () => {
    const l = await ledgerOf([
      ...invoiceRows({ num: '1', aux: 'C1', net: 10000, vat: 0, let: 'AB', date: '20240101' }),
      ...invoiceRows({ num: '2', aux: 'C1', net: 3000, vat: 0, let: 'AB', date: '20240102' }),
      ...paymentRows({ num: '3', aux: 'C1', amount: 11000, let: 'AB', date: '20240201' }),
    ]);
    expect(l.allocations.map((a) => [a.invoiceExternalId, a.amountMinor])).toEqual([
      ['VE/1/2024-01-01/C1', 10000n],
      ['VE/2/2024-01-02/C1', 1000n],
    ]);
    expect(l.invoices.map((i) => i.status)).toEqual(['paid', 'open']);
    expect(l.warnings).toEqual([{ file: 'f.txt', line: 2, field: 'EcritureLet', reason: 'lettering AB on 411000/C1 does not balance (20.00 left open)' }]);
    expect(balances(l)).toEqual({ C1: 2000 });
  });

  it('classifies by accounts: credit notes against revenue, payments against bank, opening items', async () => {
    const l = await ledgerOf([
      ...invoiceRows({ num: '1', aux: 'C1', net: 10000, vat: 2000, let: 'AC', date: '20240301' }),
      // Credit note booked in a sales journal: revenue and VAT debited, customer credited.
      { j: 'VE', num: '2', date: '20240310', acct: '706000', d: '50,00', ref: 'AV2' },
      { j: 'VE', num: '2', date: '20240310', acct: '445710', d: '10,00', ref: 'AV2' },
      { j: 'VE', num: '2', date: '20240310', acct: '411000', aux: 'C1', c: '60,00', ref: 'AV2', let: 'AC' },
      // A payment booked in a miscellaneous journal is still a payment (bank account).
      { j: 'OD', num: '3', date: '20240320', acct: '512000', d: '60,00' },
      { j: 'OD', num: '3', date: '20240320', acct: '411000', aux: 'C1', c: '60,00', let: 'AC' },
    ]);
    expect(l.invoices.map((i) => [i.kind, i.number, i.totalMinor, i.status])).toEqual([
      ['invoice', 'FA1', 12000n, 'paid'],
      ['credit_note', 'AV2', 6000n, 'paid'],
    ]);
    expect(l.payments.map((p) => [p.kind, p.amountMinor])).toEqual([['payment', 6000n]]);
    expect(l.allocations.map((a) => [a.creditNoteExternalId, a.paymentExternalId, a.amountMinor])).toEqual([
      ['VE/2/2024-03-10/C1', null, 6000n],
      [null, 'OD/3/2024-03-20/C1', 6000n],
    ]);
  });

  it.each(['AN', 'ANO', 'RAN', 'OUV', '00'])('reads opening balances in journal %s as opening items', async (j) => {
    const l = await ledgerOf([
      { j, num: '1', date: '20240101', acct: '411000', aux: 'C1', d: '100,00', ref: 'RAN' },
      { j, num: '1', date: '20240101', acct: '411000', aux: 'C2', c: '40,00', ref: 'RAN' },
      { j, num: '1', date: '20240101', acct: '110000', c: '60,00', ref: 'RAN' },
      ...invoiceRows({ num: '5', aux: 'C1', net: 1000, vat: 0, date: '20240105' }),
    ]);
    expect(l.invoices.map((i) => [i.customerExternalId, i.totalMinor, i.reference])).toEqual([
      ['C1', 10000n, `opening ${j} 2024-01-01`],
      ['C1', 1000n, 'VE 5'],
    ]);
    expect(l.payments.map((p) => [p.customerExternalId, p.kind, p.amountMinor])).toEqual([['C2', 'opening', 4000n]]);
    expect(l.stats).toMatchObject({ openingItems: 2, invoices: 1 });
  });

  it('reads an entry dated at the fiscal-year start against class 1/8 as opening, and allocates lettering across years', async () => {
    const l = await ledgerOf([
      { j: 'OD', num: '1', date: '20240101', acct: '411000', aux: 'C1', d: '100,00', let: 'ZZ', dateLet: '20240115' },
      { j: 'OD', num: '1', date: '20240101', acct: '890000', c: '100,00' },
      ...paymentRows({ num: '2', aux: 'C1', amount: 10000, let: 'ZZ', date: '20240115' }),
    ]);
    expect(l.invoices.map((i) => [i.reference, i.status])).toEqual([['opening OD 2024-01-01', 'paid']]);
    expect(l.allocations.map((a) => [a.amountMinor, a.date])).toEqual([[10000n, '2024-01-15']]);
  });

  it('groups by (journal, date, PieceRef) when EcritureNum is 0 on every line', async () => {
    const l = await ledgerOf([
      ...invoiceRows({ num: '0', aux: 'C1', net: 100, vat: 20, ref: 'FA1' }),
      ...invoiceRows({ num: '0', aux: 'C1', net: 200, vat: 40, ref: 'FA2' }),
      ...invoiceRows({ num: '0', aux: 'C1', net: 300, vat: 60, ref: 'FA3', date: '20240116' }),
    ]);
    expect(l.invoices.map((i) => [i.externalId, i.number, i.totalMinor])).toEqual([
      ['VE/2024-01-15/FA1/C1', 'FA1', 120n],
      ['VE/2024-01-15/FA2/C1', 'FA2', 240n],
      ['VE/2024-01-16/FA3/C1', 'FA3', 360n],
    ]);
    expect(l.stats.entries).toBe(3);
  });

  it('merges an entry whose lines span several journals', async () => {
    const l = await ledgerOf([
      { j: 'VE', num: '42', acct: '411000', aux: 'C1', d: '120,00', ref: 'FA42' },
      { j: 'VT', num: '42', acct: '706000', c: '100,00', ref: 'FA42' },
      { j: 'TVA', num: '42', acct: '445710', c: '20,00', ref: 'FA42' },
    ]);
    expect(l.invoices.map((i) => [i.externalId, i.kind, i.totalMinor])).toEqual([['VE/42/2024-01-15/C1', 'invoice', 12000n]]);
  });

  it('rejects unbalanced entries, listing every one as file:line: field: reason', async () => {
    const rows = [
      { num: '1', acct: '411000', aux: 'C1', d: '100,00' },
      { num: '1', acct: '706000', c: '90,00' },
      ...invoiceRows({ num: '2', aux: 'C1', net: 100, vat: 0 }),
      { num: '3', acct: '411000', aux: 'C1', d: '5,00' },
    ];
    const err = await parseFec(asAsync([fecText(rows)]), { file: 'f.txt', currency: 'EUR', advancesAreCustomer: true }).catch((e) => e);
    expect(err).toBeInstanceOf(FecValidationError);
    expect((err as FecValidationError).problems.map((p) => `${p.file}:${p.line}: ${p.field}: ${p.reason}`)).toEqual([
      'f.txt:2: EcritureNum: entry VE 1 of 2024-01-15 is unbalanced: debit − credit = 10.00',
      'f.txt:7: EcritureNum: entry VE 3 of 2024-01-15 is unbalanced: debit − credit = 5.00',
    ]);
  });

  it('gives invoices ids that do not depend on lettering or line order (stable across cumulative re-exports)', async () => {
    const january = await ledgerOf([...invoiceRows({ num: '1', aux: 'C1', net: 100, vat: 20 }), ...invoiceRows({ num: '2', aux: 'C2', net: 50, vat: 10 })]);
    const february = await ledgerOf([
      ...paymentRows({ num: '9', aux: 'C1', amount: 120, let: 'A', date: '20240210' }),
      ...invoiceRows({ num: '2', aux: 'C2', net: 50, vat: 10 }),
      ...invoiceRows({ num: '1', aux: 'C1', net: 100, vat: 20, let: 'A' }),
    ]);
    expect(february.invoices.map((i) => i.externalId).sort()).toEqual(january.invoices.map((i) => i.externalId).sort());
    expect(february.invoices.find((i) => i.customerExternalId === 'C1')!.status).toBe('paid');
  });

  it('warns about journals whose customer credits have no recognisable counterpart, and reads them as payments', async () => {
    const l = await ledgerOf([
      ...invoiceRows({ num: '1', aux: 'C1', net: 1000, vat: 0 }),
      { j: 'XX', num: '2', acct: '467000', d: '4,00' },
      { j: 'XX', num: '2', acct: '411000', aux: 'C1', c: '4,00' },
      { j: 'XX', num: '3', acct: '467000', d: '1,00' },
      { j: 'XX', num: '3', acct: '411000', aux: 'C1', c: '1,00' },
    ]);
    expect(l.payments.map((p) => [p.kind, p.method, p.amountMinor])).toEqual([['payment', 'offset', 400n], ['payment', 'offset', 100n]]);
    expect(l.warnings).toEqual([
      { file: 'f.txt', line: 6, field: 'JournalCode', reason: 'journal XX: 2 customer credits with no revenue, VAT, charge, bank or opening counterpart, read as payments (offset)' },
    ]);
  });

  it('applies per-customer payment terms from the connection settings', async () => {
    const l = await ledgerOf(invoiceRows({ num: '1', aux: 'C1', net: 100, vat: 0 }), { customerTerms: { C1: { days: 45, endOfMonth: true } } });
    expect(l.customers[0]).toMatchObject({ termsDays: 45, termsEndOfMonth: true });
  });

  it('keeps amounts exact on large files of cents', async () => {
    const rows: FecRow[] = [];
    for (let n = 1; n <= 200; n++) rows.push(...invoiceRows({ num: String(n), aux: `C${n % 7}`, net: 99999 + n, vat: 1 }));
    const l = await ledgerOf(rows);
    const total = Object.values(balances(l)).reduce((a, b) => a + b, 0);
    expect(total).toBe(200 * 100000 + (200 * 201) / 2);
    expect(cents(total)).toBe('200201,00');
  });

  it('groups the lines of an entry wherever they are in the file, not only when they follow each other', async () => {
    const a = invoiceRows({ num: '1', aux: 'C1', net: 1000, vat: 200, let: 'A' });
    const b = paymentRows({ num: '2', aux: 'C1', amount: 1200, let: 'A', date: '20240120' });
    const l = await ledgerOf([a[0], b[0], a[1], b[1], a[2]]);
    expect(l.stats).toMatchObject({ entries: 2, invoices: 1, payments: 1, allocations: 1 });
    expect(l.invoices.map((i) => [i.externalId, i.totalMinor, i.status])).toEqual([['VE/1/2024-01-15/C1', 1200n, 'paid']]);
    expect(l.payments.map((p) => [p.externalId, p.amountMinor])).toEqual([['BQ/2/2024-01-20/C1', 1200n]]);
  });

  it('builds the records batch by batch: never more than the batch size, the same records whatever the size', async () => {
    const rows: FecRow[] = [];
    for (let n = 1; n <= 7; n++) {
      rows.push(...invoiceRows({ num: String(n), aux: `C${n % 3}`, net: 1000 * n, vat: 0, let: `L${n}` }));
      if (n % 2) rows.push(...paymentRows({ num: String(100 + n), aux: `C${n % 3}`, amount: 1000 * n, let: `L${n}` }));
    }
    const ledger = await parsed(rows);
    const sizes = [...ledger.records(3)].map((r) => Object.entries(r).map(([kind, list]) => [kind, list!.length]));
    expect(sizes).toEqual([
      [['customers', 3]], [['invoices', 3]], [['invoices', 3]], [['invoices', 1]], [['payments', 3]], [['payments', 1]], [['allocations', 3]], [['allocations', 1]],
    ]);
    expect(ledgerRecords(ledger, 1)).toEqual(ledgerRecords(ledger, 10_000));
    expect(ledgerRecords(ledger).invoices.map((i) => i.status)).toEqual(['paid', 'open', 'paid', 'open', 'paid', 'open', 'paid']);
  });

  it('keeps amounts exact when an entry goes beyond 2^63 minor units', async () => {
    // 999 999 999 999 999,99 a line: a hundred of them on one customer exceed 2^63 − 1 cents.
    const rows: FecRow[] = [];
    for (let n = 0; n < 100; n++) {
      rows.push({ num: '1', acct: '411000', aux: 'C1', d: '999999999999999,99' }, { num: '1', acct: '706000', c: '999999999999999,99' });
    }
    const l = await ledgerOf(rows);
    expect(l.invoices.map((i) => i.totalMinor)).toEqual([100n * 99_999_999_999_999_999n]);
    expect(l.stats).toMatchObject({ totalDebitMinor: 100n * 99_999_999_999_999_999n, totalCreditMinor: 100n * 99_999_999_999_999_999n });
  });

  it('gives a document whose id is already taken its first line (#line), also when that id is taken in turn', async () => {
    const date = '20240115';
    // (J, 1/2) and (J/1, 2) are two entries whose ids read the same: J/1/2/2024-01-15/C1.
    const clash = await ledgerOf([
      { j: 'J', num: '1/2', date, acct: '411000', aux: 'C1', d: '10,00' },
      { j: 'J', num: '1/2', date, acct: '706000', c: '10,00' },
      { j: 'J/1', num: '2', date, acct: '411000', aux: 'C1', d: '10,00' },
      { j: 'J/1', num: '2', date, acct: '706000', c: '10,00' },
    ]);
    expect(clash.invoices.map((i) => i.externalId)).toEqual(['J/1/2/2024-01-15/C1', 'J/1/2/2024-01-15/C1#4']);
    // A customer C1#4 then meets the id given to the second C1.
    const twice = await ledgerOf([
      { j: 'J', num: '1/2', date, acct: '411000', aux: 'C1', d: '10,00' },
      { j: 'J', num: '1/2', date, acct: '706000', c: '10,00' },
      { j: 'J/1', num: '2', date, acct: '411000', aux: 'C1', d: '10,00' },
      { j: 'J/1', num: '2', date, acct: '411000', aux: 'C1#4', d: '10,00' },
      { j: 'J/1', num: '2', date, acct: '706000', c: '20,00' },
    ]);
    expect(twice.invoices.map((i) => i.externalId)).toEqual(['J/1/2/2024-01-15/C1', 'J/1/2/2024-01-15/C1#4', 'J/1/2/2024-01-15/C1#4#5']);
  });

  it('makes one allocation of a payment lettered to the same invoice under two codes', async () => {
    const l = await ledgerOf([
      { num: '1', date: '20240110', acct: '411000', aux: 'C1', d: '60,00', let: 'A' },
      { num: '1', date: '20240110', acct: '411000', aux: 'C1', d: '40,00', let: 'B' },
      { num: '1', date: '20240110', acct: '706000', c: '100,00' },
      { j: 'BQ', num: '2', date: '20240210', acct: '512000', d: '100,00' },
      { j: 'BQ', num: '2', date: '20240210', acct: '411000', aux: 'C1', c: '60,00', let: 'A', dateLet: '20240211' },
      { j: 'BQ', num: '2', date: '20240210', acct: '411000', aux: 'C1', c: '40,00', let: 'B', dateLet: '20240212' },
      ...invoiceRows({ num: '3', aux: 'C2', net: 500, vat: 0, let: 'A', date: '20240111' }),
      ...paymentRows({ num: '4', aux: 'C2', amount: 500, let: 'A', date: '20240211' }),
    ]);
    expect(l.allocations.map((a) => [a.externalId, a.amountMinor, a.date])).toEqual([
      ['BQ/2/2024-02-10/C1>VE/1/2024-01-10/C1', 10000n, '2024-02-11'],
      ['BQ/4/2024-02-11/C2>VE/3/2024-01-11/C2', 500n, '2024-02-11'],
    ]);
    expect(l.stats.allocations).toBe(2);
    expect(l.invoices.map((i) => i.status)).toEqual(['paid', 'paid']);
  });
});

