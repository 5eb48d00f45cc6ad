/** The last day of each of the `count` months ending with `asOf`'s month, oldest first; the current month ends at `asOf`. */
export function monthEnds(asOf: string, count: number): string[] {
  const [y, m] = asOf.split('-').map(Number);
  const out: string[] = [];
  for (let i = count - 1; i >= 1; i--) {
    // Day 0 of the next month is the last day of this one (UTC, no timezone involved).
    const end = new Date(Date.UTC(y, m - i, 0));
    out.push(end.toISOString().slice(0, 10));
  }
  out.push(asOf);
  return out;
}
