/**
 * Growable typed columns for the FEC builder's compact state: a million-line file holds
 * hundreds of thousands of entries, which as objects (with their bigints, arrays and key
 * strings) took ~850 bytes each; as columns they take ~100.
 */

/** Detaches a string from the (large) line it was sliced from, so the line can be freed. */
export const own = (s: string): string => (s.length > 12 ? (' ' + s).slice(1) : s);

/** int32 values, appended; index = row. */
export class IntColumn {
  private a: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.a = new Int32Array(capacity);
  }

  push(v: number): number {
    if (this.length === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length] = v;
    return this.length++;
  }

  get(i: number): number {
    return this.a[i];
  }

  set(i: number, v: number): void {
    this.a[i] = v;
  }
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/**
 * Exact money in minor units: int64 cells, and the rare value outside (−2^63, 2^63) kept
 * aside as a bigint (its cell holds −2^63 as a marker). Never a float.
 */
export class MinorColumn {
  private a: BigInt64Array;
  private readonly big = new Map<number, bigint>();
  length = 0;

  constructor(capacity = 1024) {
    this.a = new BigInt64Array(capacity);
  }

  push(v: bigint): number {
    if (this.length === this.a.length) {
      const b = new BigInt64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    const i = this.length++;
    this.set(i, v);
    return i;
  }

  get(i: number): bigint {
    const v = this.a[i];
    return v === I64_MIN ? this.big.get(i)! : v;
  }

  set(i: number, v: bigint): void {
    if (v > I64_MIN && v <= I64_MAX) {
      if (this.a[i] === I64_MIN) this.big.delete(i);
      this.a[i] = v;
    } else {
      this.a[i] = I64_MIN;
      this.big.set(i, v);
    }
  }

  add(i: number, v: bigint): void {
    this.set(i, this.get(i) + v);
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
