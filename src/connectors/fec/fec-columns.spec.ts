import { IntColumn, MinorColumn, StringTable } from './fec-columns';

describe('FEC builder columns', () => {
  it('keeps minor units exact beyond int64, and back within it', () => {
    const c = new MinorColumn();
    const big = 9_223_372_036_854_775_807n; // 2^63 − 1
    const i = c.push(big);
    const j = c.push(-big);
    c.add(i, 1n);
    c.add(j, -2n);
    expect(c.get(i)).toBe(2n ** 63n);
    expect(c.get(j)).toBe(-(2n ** 63n) - 1n);
    c.add(i, -(2n ** 63n) + 5n);
    expect(c.get(i)).toBe(5n);
    c.push(-(2n ** 63n));
    expect(c.get(2)).toBe(-(2n ** 63n));
    expect(c.get(j)).toBe(-(2n ** 63n) - 1n);
  });

  it('grows page by page without losing values', () => {
    const ints = new IntColumn();
    const minors = new MinorColumn();
    for (let n = 0; n < 40_000; n++) {
      ints.push(n * 3);
      minors.push(BigInt(n) * 1_000_000_000_000n);
    }
    expect(ints.length).toBe(40_000);
    expect([ints.get(0), ints.get(1), ints.get(16_384), ints.get(39_999)]).toEqual([0, 3, 49_152, 119_997]);
    expect([minors.get(1), minors.get(39_999)]).toEqual([1_000_000_000_000n, 39_999_000_000_000_000n]);
  });

  it('interns strings: one id per distinct value', () => {
    const t = new StringTable();
    const a = t.id('411000');
    const b = t.id('VE');
    expect(t.id('411' + '000')).toBe(a);
    expect(b).not.toBe(a);
    expect(t.values[a]).toBe('411000');
    expect(t.values[b]).toBe('VE');
  });
});
