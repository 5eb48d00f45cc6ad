
const { Client } = require('pg');
const { AGED_BALANCE_SQL } = require('/work/main/dist/dunning/analytics/aged-balance.query.js');
(async () => {
  const c = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/' + process.argv[2] });
  await c.connect(); if (process.argv[3]) for (const s of process.argv[3].split(';')) await c.query(s);
  const [{ id }] = (await c.query('select id from tenants limit 1')).rows;
  const r = await c.query('EXPLAIN (ANALYZE, BUFFERS) ' + AGED_BALANCE_SQL, [id, '2026-03-31', [1, 31, 61, 91], null]);
  console.log(r.rows.map((x) => x['QUERY PLAN']).join('\n'));
  await c.end();
})();
