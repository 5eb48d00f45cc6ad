/** What every benchmark script shares: where its scratch database lives, and timings. */
import { readFileSync } from 'node:fs';

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

/**
 * CPU seconds (user + system) the server processes serving database `db` have used so far,
 * read from /proc: a figure that, unlike elapsed time, barely moves when other work shares
 * the machine. Null when the server is not local (no such process visible here).
 */
export async function databaseCpuSeconds(query: (sql: string, params: unknown[]) => Promise<{ pid: number }[]>, db: string): Promise<number | null> {
  const ticks = 100; // USER_HZ on Linux
  let total = 0;
  let seen = 0;
  for (const { pid } of await query(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [db])) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      total += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
      seen++;
    } catch {
      // not a local process
    }
  }
  return seen ? total / ticks : null;
}
