import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withDatabase } from './urls';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.LB_TEST_ADMIN_URL;
  if (!url) throw new Error('LB_TEST_ADMIN_URL is not set: run the tests through jest (test/global-setup.ts)');
  return url;
}

/** A fresh database with every migration applied, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env.LB_TEST_TEMPLATE!;
  const name = `${template.replace('lb_tpl_', 'lb_t_')}_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await client.end();
  }
  return {
    url: withDatabase(adminUrl(), name),
    name,
    drop: async () => {
      const c = new Client({ connectionString: adminUrl() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** An empty database (no migrations), for schema tests. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const name = `${process.env.LB_TEST_TEMPLATE!.replace('lb_tpl_', 'lb_t_')}_e${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return {
    url: withDatabase(adminUrl(), name),
    name,
    drop: async () => {
      const c = new Client({ connectionString: adminUrl() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
