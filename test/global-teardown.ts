import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.LB_TEST_ADMIN_URL;
  const template = process.env.LB_TEST_TEMPLATE;
  if (adminUrl && template) {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
        [template, `${template.replace('lb_tpl_', 'lb_t_')}%`],
      );
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
  const pg = (globalThis as Record<string, unknown>).__LEDGERBRIDGE_PG__ as { stop(): Promise<void> } | undefined;
  await pg?.stop();
}
