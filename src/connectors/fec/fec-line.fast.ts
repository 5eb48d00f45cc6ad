import type { FecLayout } from './fec-header';
import type { FecLine } from './fec-line';

/**
 * The fast path for the common, well-formed text line: `AAAAMMJJ` dates (memoised: a year
 * has few distinct dates), plain `123,45` amounts, D/C or ±1 directions. Anything else
 * returns null and goes through the full validation (parseFecFields), which reports the
 * problem or accepts the rarer forms (signs, ISO dates…). Both paths give the same result.
 */
export class FecFastLineParser {
  private readonly dates = new Map<string, string | null>();
  private readonly i: Required<Record<'jc' | 'jl' | 'num' | 'date' | 'acct' | 'acctLib' | 'aux' | 'auxLib' | 'ref' | 'pdate' | 'lib' | 'a' | 'b' | 'let' | 'dlet' | 'vdate', number>>;
  private readonly sens: boolean;

  constructor(private readonly layout: FecLayout, private readonly exponent: number) {
    const x = layout.index;
    const at = (n: number | undefined) => (n === undefined ? -1 : n);
    this.sens = layout.amounts === 'montant-sens';
    this.i = {
      jc: at(x.JournalCode), jl: at(x.JournalLib), num: at(x.EcritureNum), date: at(x.EcritureDate), acct: at(x.CompteNum),
      acctLib: at(x.CompteLib), aux: at(x.CompAuxNum), auxLib: at(x.CompAuxLib), ref: at(x.PieceRef), pdate: at(x.PieceDate),
      lib: at(x.EcritureLib), a: at(this.sens ? x.Montant : x.Debit), b: at(this.sens ? x.Sens : x.Credit), let: at(x.EcritureLet),
      dlet: at(x.DateLet), vdate: at(x.ValidDate),
    };
  }

  parse(parts: string[], line: number): FecLine | null {
    const i = this.i;
    const f = (n: number) => (n < 0 ? '' : parts[n].trim());
    const journalCode = f(i.jc);
    const compteNum = f(i.acct);
    if (journalCode === '' || compteNum === '') return null;
    const ecritureDate = this.date(f(i.date));
    if (!ecritureDate) return null;
    const rawPiece = f(i.pdate);
    const pieceDate = rawPiece === '' ? ecritureDate : this.date(rawPiece);
    if (!pieceDate) return null;
    const rawLet = f(i.dlet);
    const dateLet = rawLet === '' ? null : this.date(rawLet);
    if (dateLet === undefined) return null;
    const rawValid = f(i.vdate);
    if (rawValid !== '' && !this.date(rawValid)) return null;
    let amountMinor: bigint;
    if (this.sens) {
      const m = this.amount(f(i.a));
      const s = f(i.b).toUpperCase();
      if (m === null) return null;
      if (s === 'D' || s === '+1' || s === '1') amountMinor = m;
      else if (s === 'C' || s === '-1') amountMinor = -m;
      else return null;
    } else {
      const d = this.amount(f(i.a));
      const c = this.amount(f(i.b));
      if (d === null || c === null) return null;
      amountMinor = d - c;
    }
    return {
      line,
      journalCode,
      journalLib: f(i.jl),
      ecritureNum: f(i.num),
      ecritureDate,
      compteNum,
      compteLib: f(i.acctLib),
      compAuxNum: f(i.aux),
      compAuxLib: f(i.auxLib),
      pieceRef: f(i.ref),
      pieceDate,
      ecritureLib: f(i.lib),
      amountMinor,
      ecritureLet: f(i.let),
      dateLet,
    };
  }

  /** `AAAAMMJJ` → ISO, or undefined when not that form or not a calendar date. */
  private date(raw: string): string | undefined {
    let v = this.dates.get(raw);
    if (v === undefined) {
      v = null;
      if (/^\d{8}$/.test(raw)) {
        const y = +raw.slice(0, 4);
        const m = +raw.slice(4, 6);
        const d = +raw.slice(6, 8);
        const dim = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        if (y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= dim[m - 1]) v = `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}`;
      }
      if (this.dates.size < 100_000) this.dates.set(raw, v);
    }
    return v ?? undefined;
  }

  /** Plain unsigned `123`, `123,4`, `123,45` (or with a point) in minor units; null otherwise. */
  private amount(raw: string): bigint | null {
    if (raw === '') return 0n;
    const m = /^(\d{1,15})(?:[,.](\d*))?$/.exec(raw);
    if (!m) return null;
    const frac = m[2] ?? '';
    if (frac.length > this.exponent) return null;
    const digits = m[1] + frac.padEnd(this.exponent, '0');
    return digits.length <= 15 ? BigInt(Number(digits)) : BigInt(digits);
  }
}
