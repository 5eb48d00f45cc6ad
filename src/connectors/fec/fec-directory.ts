import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';

/** What the cursor remembers of an imported file. */
export interface SeenFile {
  name: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

/** `*.txt`, `FEC??.xml`: `*` and `?` wildcards, case-insensitive, on the file name. */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Files of `directory` matching `pattern` that are new or changed since `seen` (name +
 * size + mtime, then content hash when size or mtime moved), oldest first.
 */
export async function changedFiles(directory: string, pattern: string, seen: SeenFile[]): Promise<SeenFile[]> {
  const re = globToRegExp(pattern);
  const known = new Map(seen.map((f) => [f.name, f]));
  const out: SeenFile[] = [];
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    if (!entry.isFile() || !re.test(entry.name)) continue;
    const full = path.join(directory, entry.name);
    const st = await stat(full);
    const prev = known.get(entry.name);
    if (prev && prev.size === st.size && prev.mtimeMs === st.mtimeMs) continue;
    const sha256 = await sha256File(full);
    if (prev && prev.sha256 === sha256) continue;
    out.push({ name: entry.name, size: st.size, mtimeMs: st.mtimeMs, sha256 });
  }
  return out.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
}
