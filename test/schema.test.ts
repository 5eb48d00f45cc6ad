import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/common/database/data-source';
import { schemaDiff } from '../src/common/database/schema-diff';
import { createEmptyDatabase, TestDatabase } from './helpers/db';

describe('schema', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createEmptyDatabase();
    ds = new DataSource(dataSourceOptions(db.url, 2));
    await ds.initialize();
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('migrations build exactly the schema the entities describe', async () => {
    await ds.runMigrations();
    const diff = await schemaDiff(ds);
    // When this fails: run `npx ledgerbridge db generate-migration <Name>` and commit the file.
    expect(diff.up).toEqual([]);
  });

  it('every migration can be reverted', async () => {
    const count = ds.migrations.length;
    for (let i = 0; i < count; i++) await ds.undoLastMigration();
    const { rows } = await ds.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
    ).then((r: { n: number }[]) => ({ rows: r }));
    expect(rows[0].n).toBe(0);
    await ds.runMigrations();
    expect((await schemaDiff(ds)).up).toEqual([]);
  });
});
