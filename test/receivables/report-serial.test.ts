import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/common/database/data-source';
import { querySerial } from '../../src/dunning/analytics/report-context.service';
import { createTestDatabase, TestDatabase } from '../helpers/db';

/** querySerial: the query runs without parallel workers; the connection keeps its setting. */
describe('querySerial', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    // One connection: the query after querySerial runs on the same session.
    ds = await new DataSource(dataSourceOptions(db.url, 1)).initialize();
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('turns parallel workers off for its query only', async () => {
    const setting = `SELECT current_setting('max_parallel_workers_per_gather') AS v, pg_backend_pid() AS pid`;
    const [session] = await ds.query(setting);
    expect(session.v).not.toBe('0');
    const [inside] = await querySerial<{ v: string; pid: number }>(ds, setting, []);
    expect(inside).toEqual({ v: '0', pid: session.pid });
    expect(await ds.query(setting)).toEqual([session]);
  });
});
