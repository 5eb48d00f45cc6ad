/**
 * Synthetic FEC generator for the benchmark: a tab-separated 18-column FEC of `lines` lines
 * (invoices of 3 lines — customer, revenue, VAT — and payments of 2 lines — bank, customer),
 * about 22 % of the lines' entries are invoices, most of them lettered to a payment.
 * Deterministic (seeded), streamed to disk, amounts in integer cents (never floats).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const HEADER = 'JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise';

export interface GeneratedFec {
  lines: number;
  invoices: number;
  payments: number;
  customers: number;
  /** Expected per-customer balance (cents), for checking the import. */
  balances: Map<string, bigint>;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

function amount(cents: number): string {
  const s = String(cents).padStart(3, '0');
  return `${s.slice(0, -2)},${s.slice(-2)}`;
}

function letterCode(n: number): string {
  let s = '';
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s.padStart(3, 'A');
}

function isoDay(dayOfYear: number): string {
  const d = new Date(Date.UTC(2025, 0, 1 + dayOfYear));
  return d.toISOString().slice(0, 10).replace(/-/g, '');
}

export async function generateFec(file: string, opts: { lines: number; customers?: number; paidShare?: number; seed?: number }): Promise<GeneratedFec> {
  const rand = lcg(opts.seed ?? 42);
  const customers = opts.customers ?? 5000;
  const paidShare = opts.paidShare ?? 0.8;
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const balances = new Map<string, bigint>();
  const letterSeq = new Array<number>(customers).fill(0);
  let buffer = HEADER + '\n';
  let lines = 0;
  let invoices = 0;
  let payments = 0;
  let num = 0;
  const write = async (s: string) => {
    buffer += s;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  };
  while (lines + 3 <= opts.lines) {
    const c = rand() % customers;
    const aux = `C${String(c).padStart(5, '0')}`;
    const auxLib = `Client ${c} SAS`;
    const net = 1000 + (rand() % 500000);
    const vat = Math.floor(net / 5);
    const total = net + vat;
    const day = rand() % 300;
    const date = isoDay(day);
    const ref = `FA${String(++num).padStart(7, '0')}`;
    const paid = lines + 5 <= opts.lines && rand() % 1000 < paidShare * 1000;
    const code = paid ? letterCode(letterSeq[c]++) : '';
    const payDate = isoDay(day + 10 + (rand() % 50));
    const vnum = String(num);
    await write(
      `VE\tVentes\t${vnum}\t${date}\t411000\tClients\t${aux}\t${auxLib}\t${ref}\t${date}\tFacture ${ref}\t${amount(total)}\t0,00\t${code}\t${paid ? payDate : ''}\t${date}\t\t\n` +
        `VE\tVentes\t${vnum}\t${date}\t706000\tPrestations de services\t\t\t${ref}\t${date}\tFacture ${ref}\t0,00\t${amount(net)}\t\t\t${date}\t\t\n` +
        `VE\tVentes\t${vnum}\t${date}\t445710\tTVA collectée\t\t\t${ref}\t${date}\tFacture ${ref}\t0,00\t${amount(vat)}\t\t\t${date}\t\t\n`,
    );
    lines += 3;
    invoices++;
    balances.set(aux, (balances.get(aux) ?? 0n) + BigInt(total));
    if (paid) {
      const pnum = String(++num);
      const pref = `VIR${pnum}`;
      await write(
        `BQ\tBanque\t${pnum}\t${payDate}\t512000\tBanque\t\t\t${pref}\t${payDate}\tVirement ${auxLib}\t${amount(total)}\t0,00\t\t\t${payDate}\t\t\n` +
          `BQ\tBanque\t${pnum}\t${payDate}\t411000\tClients\t${aux}\t${auxLib}\t${pref}\t${payDate}\tVirement ${auxLib}\t0,00\t${amount(total)}\t${code}\t${payDate}\t${payDate}\t\t\n`,
      );
      lines += 2;
      payments++;
      balances.set(aux, balances.get(aux)! - BigInt(total));
    }
  }
  out.write(buffer);
  out.end();
  await once(out, 'finish');
  return { lines, invoices, payments, customers: balances.size, balances };
}

/** The generator's result as JSON (balances as [customer, cents] pairs, cents as strings). */
export function generatedJson(g: GeneratedFec): string {
  return JSON.stringify({ ...g, balances: [...g.balances].map(([k, v]) => [k, v.toString()]) });
}

export function parseGeneratedJson(text: string): GeneratedFec {
  const g = JSON.parse(text) as Omit<GeneratedFec, 'balances'> & { balances: [string, string][] };
  return { ...g, balances: new Map(g.balances.map(([k, v]) => [k, BigInt(v)])) };
}

// `node fec-generator.js <file> <lines>`: the benchmark generates in a child process, so that
// the generator's memory does not count in the import's peak RSS.
if (require.main === module) {
  const [file, lines] = process.argv.slice(2);
  generateFec(file, { lines: Number(lines) }).then(
    (g) => process.stdout.write(generatedJson(g)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

