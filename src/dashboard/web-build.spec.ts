import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { resolveWebFile } from './web-build';

describe('resolveWebFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lb-web-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(path.join(dir, 'assets', 'index-abc.js'), '');
  writeFileSync(path.join(tmpdir(), 'secret.txt'), 'no');

  it('serves build files, hashed assets marked as such', () => {
    expect(resolveWebFile(dir, 'assets/index-abc.js')).toEqual({ file: path.join(dir, 'assets', 'index-abc.js'), asset: true });
    expect(resolveWebFile(dir, 'index.html')).toEqual({ file: path.join(dir, 'index.html'), asset: false });
  });

  it('answers index.html for client-side routes and nothing for unknown files', () => {
    expect(resolveWebFile(dir, '')).toEqual({ file: path.join(dir, 'index.html'), asset: false });
    expect(resolveWebFile(dir, 'customers/123')).toEqual({ file: path.join(dir, 'index.html'), asset: false });
    expect(resolveWebFile(dir, 'assets/missing.js')).toBeNull();
  });

  it('never leaves the build folder', () => {
    expect(resolveWebFile(dir, '../secret.txt')).toBeNull();
    expect(resolveWebFile(dir, '%2e%2e/secret.txt')).toBeNull();
    // `..` is clamped at the build root: this is a client-side route, answered with index.html.
    expect(resolveWebFile(dir, '..%2F..%2Fetc%2Fpasswd')).toEqual({ file: path.join(dir, 'index.html'), asset: false });
  });

  it('answers null when the build is missing', () => {
    expect(resolveWebFile(path.join(dir, 'nowhere'), '')).toBeNull();
  });
});
