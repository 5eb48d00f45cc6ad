import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * A file of the package's `config/` folder, found from this module upwards (the same from
 * src/, dist/ and the benchmark builds).
 */
export function configFile(name: string): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'config', name);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`config/${name} not found above ${__dirname}`);
    dir = parent;
  }
}
