import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './common/config/app-config';
import { configureHttp } from './http-app';
import { prepareRuntime } from './runtime';

async function main(): Promise<void> {
  const started = Date.now();
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nSee config/.env.example for every variable.\n`);
      process.exit(78);
    }
    throw e;
  }
  const rt = await prepareRuntime(config);
  const app = await NestFactory.create(
    AppModule.forRoot({ config, databaseUrl: rt.db.url, masterKey: rt.masterKey }),
    { bufferLogs: true },
  );
  configureHttp(app);
  await app.listen(config.port, config.host);
  rt.log.info({ port: config.port, embeddedDatabase: !config.databaseUrl, bootMs: Date.now() - started }, `Ledgerbridge listening on http://localhost:${config.port}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    rt.log.info({ signal }, 'shutting down: API, workers, then the database');
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    try {
      await app.close();
      await rt.db.stop();
      rt.log.info('stopped cleanly');
      process.exit(0);
    } catch (e) {
      rt.log.error({ err: e }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e) => {
  process.stderr.write(`Ledgerbridge failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
