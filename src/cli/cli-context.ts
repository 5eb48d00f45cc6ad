import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../app.module';
import { loadConfig } from '../common/config/app-config';
import { prepareRuntime, Runtime } from '../runtime';

export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Runs `fn` with the application's modules (no HTTP server, no scheduler, no workers) on the
 * same database the service uses: DATABASE_URL, or the embedded server of DATA_DIR (reused
 * when the service runs, started and stopped here otherwise).
 */
export async function withApp<T>(fn: (app: INestApplicationContext, rt: Runtime) => Promise<T>): Promise<T> {
  const config = loadConfig({ SCHEDULER_ENABLED: 'false', WORKERS_ENABLED: 'false' });
  const rt = await prepareRuntime(config, { quiet: true });
  let app: INestApplicationContext | undefined;
  try {
    app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ config: { ...config, logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel }, databaseUrl: rt.db.url, masterKey: rt.masterKey, cli: true }),
      { bufferLogs: true, abortOnError: false },
    );
    app.useLogger(app.get(Logger));
    return await fn(app, rt);
  } finally {
    await app?.close();
    await rt.db.stop();
  }
}

/** JSON for the terminal: bigint amounts as numbers (minor units are JSON-safe). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? Number(v) : v), 2)}\n`);
}
