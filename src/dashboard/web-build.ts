import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** The project root: the nearest folder above this file whose package.json is Ledgerbridge's. */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'ledgerbridge') return dir;
      } catch {
        /* not ours: keep walking up */
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** Where `vite build --config web/vite.config.ts` writes the dashboard. */
export const WEB_BUILD_DIR = path.join(projectRoot(), 'dist', 'web');

/**
 * The file to answer for a path under /app: an existing file of the build, or index.html
 * (single-page application fallback). Null when the path escapes the build folder or the
 * build is missing.
 */
export function resolveWebFile(buildDir: string, requested: string): { file: string; asset: boolean } | null {
  const index = path.join(buildDir, 'index.html');
  if (!existsSync(index)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(requested);
  } catch {
    return null;
  }
  const candidate = path.resolve(buildDir, `.${path.posix.normalize(`/${decoded}`)}`);
  if (candidate !== buildDir && !candidate.startsWith(buildDir + path.sep)) return null;
  if (candidate !== buildDir && existsSync(candidate) && statSync(candidate).isFile()) {
    return { file: candidate, asset: candidate.startsWith(path.join(buildDir, 'assets') + path.sep) };
  }
  // Unknown files with an extension are real 404s; anything else is a client-side route.
  if (path.extname(decoded)) return null;
  return { file: index, asset: false };
}
