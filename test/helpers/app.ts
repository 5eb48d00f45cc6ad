import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { Clock } from '../../src/common/clock';
import { loadConfig } from '../../src/common/config/app-config';
import { TenantsService } from '../../src/common/auth/tenants.service';
import { ApiKeyService } from '../../src/common/auth/api-key.service';
import type { Role } from '../../src/common/auth/api-key.entity';
import { configureHttp } from '../../src/http-app';
import { TestClock } from './clock';
import { createTestDatabase, TestDatabase } from './db';

export interface TestApp {
  app: INestApplication;
  db: TestDatabase;
  ds: DataSource;
  clock: TestClock;
  /** Base URL of the listening server (real HTTP). */
  baseUrl: string;
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  extraModules?: Array<Type<unknown> | DynamicModule>;
  env?: Record<string, string>;
  clock?: TestClock;
  /** Reuse an existing database (e.g. two instances against one database). */
  db?: TestDatabase;
}

/**
 * The real application on a fresh database, listening on a random local port: requests go
 * through the real HTTP stack (guards, pipes, filters).
 */
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const db = opts.db ?? (await createTestDatabase());
  const masterKey = randomBytes(32).toString('base64');
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'lb-app-')),
    LOG_LEVEL: 'silent',
    SCHEDULER_ENABLED: 'false',
    WORKERS_ENABLED: 'false',
    MASTER_KEY: masterKey,
    ...opts.env,
  });
  const clock = opts.clock ?? new TestClock();
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot({ config, databaseUrl: db.url, masterKey, extraModules: opts.extraModules })],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication({ bufferLogs: true });
  configureHttp(app);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    db,
    ds: app.get(DataSource),
    clock,
    baseUrl,
    http: () => request(baseUrl),
    close: async () => {
      await app.close();
      if (!opts.db) await db.drop();
    },
  };
}

export interface TestTenant {
  tenantId: string;
  adminKey: string;
  key(role: Role): Promise<string>;
}

export async function createTenant(t: TestApp, name = 'Acme SAS'): Promise<TestTenant> {
  const { tenant, apiKey } = await t.app.get(TenantsService).create(name);
  return {
    tenantId: tenant.id,
    adminKey: apiKey,
    key: async (role: Role) => (await t.app.get(ApiKeyService).issue(tenant.id, `${role} key`, role)).secret,
  };
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
