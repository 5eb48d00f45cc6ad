import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Public } from '../common/auth/auth-context';
import { resolveWebFile, WEB_BUILD_DIR } from './web-build';

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Ledgerbridge dashboard not built</title>
<body style="font-family:sans-serif;max-width:40rem;margin:4rem auto">
<h1>The dashboard is not built</h1>
<p>Build it with <code>npm run build:web</code> (or <code>npm ci</code>, which builds it), then reload this page.</p>
<p>The API is available under <a href="/docs">/docs</a>.</p></body></html>`;

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Serves the credit manager's dashboard (web/, built into dist/web) at /app. */
@ApiExcludeController()
@Public()
@Controller('app')
export class DashboardController {
  private readonly buildDir = WEB_BUILD_DIR;

  @Get()
  index(@Res() res: Response): void {
    this.send(res, '');
  }

  @Get('*path')
  file(@Param('path') requested: string | string[], @Res() res: Response): void {
    this.send(res, Array.isArray(requested) ? requested.join('/') : requested);
  }

  private send(res: Response, requested: string): void {
    res.set(SECURITY_HEADERS);
    if (!existsSync(path.join(this.buildDir, 'index.html'))) {
      res.status(503).type('html').send(NOT_BUILT);
      return;
    }
    const found = resolveWebFile(this.buildDir, requested);
    if (!found) {
      res.status(404).type('text').send('Not found');
      return;
    }
    // Hashed assets never change; index.html must always be revalidated.
    res.set('Cache-Control', found.asset ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.sendFile(found.file);
  }
}
