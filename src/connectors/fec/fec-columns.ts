/**
 * Growable typed columns for the FEC builder's compact state: a million-line file holds
 * hundreds of thousands of entries, which as objects (with their bigints, arrays and key
 * strings) took ~850 bytes each; as columns they take ~100.
 */

/** Detaches a string from the (large) line it was sliced from, so the line can be freed. */
export const own = (s: string): string => (s.length > 12 ? (' ' + s).slice(1) : s);

const PAGE_BITS = 14;
const PAGE = 1 << PAGE_BITS;
const SLOT = PAGE - 1;

/**
 * int32 values, appended; index = row. Stored in fixed pages (16,384 values), so growing
 * never copies nor leaves a doubled array behind.
 */
export class IntColumn {
  private readonly pages: Int32Array[] = [];
  length = 0;

  push(v: number): number {
    const i = this.length++;
    if ((i & SLOT) === 0) this.pages.push(new Int32Array(PAGE));
    this.pages[i >>> PAGE_BITS][i & SLOT] = v;
    return i;
  }

  get(i: number): number {
    return this.pages[i >>> PAGE_BITS][i & SLOT];
  }

  set(i: number, v: number): void {
    this.pages[i >>> PAGE_BITS][i & SLOT] = v;
  }

  /** Drops every value (and its memory). */
  clear(): void {
    this.pages.length = 0;
    this.length = 0;
  }
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/**
 * Exact money in minor units: int64 cells (in pages, as IntColumn), and the rare value
 * outside (−2^63, 2^63) kept aside as a bigint (its cell holds −2^63 as a marker). Never
 * a float.
 */
export class MinorColumn {
  private readonly pages: BigInt64Array[] = [];
  private readonly big = new Map<number, bigint>();
  length = 0;

  push(v: bigint): number {
    const i = this.length++;
    if ((i & SLOT) === 0) this.pages.push(new BigInt64Array(PAGE));
    this.set(i, v);
    return i;
  }

  get(i: number): bigint {
    const v = this.pages[i >>> PAGE_BITS][i & SLOT];
    return v === I64_MIN ? this.big.get(i)! : v;
  }

  set(i: number, v: bigint): void {
    const page = this.pages[i >>> PAGE_BITS];
    if (v > I64_MIN && v <= I64_MAX) {
      if (page[i & SLOT] === I64_MIN) this.big.delete(i);
      page[i & SLOT] = v;
    } else {
      page[i & SLOT] = I64_MIN;
      this.big.set(i, v);
    }
  }

  add(i: number, v: bigint): void {
    this.set(i, this.get(i) + v);
  }

  /** Drops every value (and its memory). */
  clear(): void {
    this.pages.length = 0;
    this.big.clear();
    this.length = 0;
  }
}

/** Interned strings (journal codes, dates, accounts, lettering codes…) by small integer id. */
export class StringTable {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  id(s: string): number {
    let v = this.ids.get(s);
    if (v === undefined) {
      v = this.values.length;
      const kept = own(s);
      this.values.push(kept);
      this.ids.set(kept, v);
    }
    return v;
  }
}

const TEXT_PAGE_BITS = 20;
const TEXT_PAGE = 1 << TEXT_PAGE_BITS;

/**
 * Strings appended as UTF-8 bytes in 1 MB pages (off the JS heap, so they do not raise
 * the garbage collector's old-space limit); `get` decodes a fresh copy.
 */
export class TextColumn {
  private readonly pages: Buffer[] = [];
  private readonly at = new IntColumn();
  private readonly bytes = new IntColumn();
  private used = TEXT_PAGE;

  get length(): number {
    return this.at.length;
  }

  push(s: string): number {
    const n = Buffer.byteLength(s);
    if (n > TEXT_PAGE) throw new RangeError(`text of ${n} bytes: more than a page`);
    if (this.used + n > TEXT_PAGE) {
      this.pages.push(Buffer.allocUnsafe(TEXT_PAGE));
      this.used = 0;
    }
    const at = ((this.pages.length - 1) << TEXT_PAGE_BITS) | this.used;
    if (n) this.pages[this.pages.length - 1].write(s, this.used);
    this.used += n;
    this.bytes.push(n);
    return this.at.push(at);
  }

  get(i: number): string {
    const n = this.bytes.get(i);
    if (n === 0) return '';
    const at = this.at.get(i);
    const from = at & (TEXT_PAGE - 1);
    return this.pages[at >>> TEXT_PAGE_BITS].toString('utf8', from, from + n);
  }
}
