/** What every benchmark script shares: where its scratch database lives, and timings. */

/** The server the bench creates its scratch database on. The bench is a script, not the service: it reads its own environment. */
export function adminUrl(): string {
  return process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** `url` pointing at database `name`. */
export function withDb(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

/** Median of `n` timings after one warm-up. */
export async function median(n: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push((await timed(fn)).ms);
  times.sort((a, b) => a - b);
  return times[Math.floor(n / 2)];
}
