/**
 * `sweepExpired` on PostgreSQL costs its `limit`, not the size of a table: in a schema with many live
 * rows and a few lapsed ones, the plan of the sweep statement picks lapsed rows of every kind through
 * the expiry indexes of migration 3 and scans no table whole. Checked with EXPLAIN on PGlite and, when
 * DATABASE_URL is set, on the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore, type SqlClient } from '../src/index';
import { tableNames } from '../src/names';
import { sweepStatement } from '../src/ops/sweep';
import {
  dropSchema,
  newPGlite,
  pgClient,
  pgliteClient,
  randomSchema,
  SERVER_SKIP,
  serverPool,
} from './helpers';

const NOW = 1_700_000_000_000;
const LIVE = 20_000;
const LAPSED = 50;

type PlanNode = { 'Node Type': string; 'Index Name'?: string; Plans?: PlanNode[] };

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** Fills the four swept tables with LIVE live rows and LAPSED lapsed ones each, then ANALYZEs them. */
async function seed(sql: SqlClient, schema: string): Promise<void> {
  const t = tableNames(schema);
  // Lapsed rows end at NOW or before (i ≥ 0), live ones after it.
  const rows = (i: string) => `CASE WHEN ${i} <= ${LAPSED} THEN ${NOW} - ${i} + 1 ELSE ${NOW} + ${i} END`;
  const series = `generate_series(1, ${LIVE + LAPSED}) AS i`;
  await sql.query(
    `INSERT INTO ${t.challenges} (id, user_id, kind, purpose, created_at, expires_at, attempts, max_attempts, deliveries)
     SELECT 'c' || i, 'u' || (i % 1000), 'email', 'login', ${NOW} - 600000, ${rows('i')}, 0, 5, 0 FROM ${series}`,
    [],
  );
  await sql.query(
    `INSERT INTO ${t.pendingEnrollments} (id, user_id, kind, label, address, created_at, expires_at)
     SELECT 'p' || i, 'u' || (i % 1000), 'email', 'mail', 'a@example.com', ${NOW} - 600000, ${rows('i')} FROM ${series}`,
    [],
  );
  await sql.query(
    `INSERT INTO ${t.trustedDevices} (id, user_id, digest, created_at, expires_at)
     SELECT 'd' || i, 'u' || i, decode(md5(i::text), 'hex'), ${NOW} - 600000, ${rows('i')} FROM ${series}`,
    [],
  );
  // Counters: every third live one locked past NOW inside a window that already ended.
  await sql.query(
    `INSERT INTO ${t.failures} (key, count, window_ends_at, locked_until, lockouts)
     SELECT 'k' || i, 1,
            CASE WHEN i > ${LAPSED} AND i % 3 = 0 THEN ${NOW} - 1 ELSE ${rows('i')} END,
            CASE WHEN i > ${LAPSED} AND i % 3 = 0 THEN ${NOW} + i END, 0
     FROM ${series}`,
    [],
  );
  for (const table of [t.challenges, t.pendingEnrollments, t.trustedDevices, t.failures])
    await sql.query(`ANALYZE ${table}`, []);
}

function sweepPlanTests(open: () => Promise<{ sql: SqlClient; close: () => Promise<void> }>): void {
  let sql: SqlClient;
  let close: () => Promise<void>;
  const schema = randomSchema('sf_sweep');

  beforeAll(async () => {
    ({ sql, close } = await open());
    await new PostgresStore(sql, { schema }).migrate();
    await seed(sql, schema);
  }, 120_000);
  afterAll(async () => {
    await dropSchema(sql, schema);
    await close();
  });

  it('EXPLAIN: every kind is picked through its expiry index, and no table is scanned whole', async () => {
    const { rows } = await sql.query(`EXPLAIN (FORMAT JSON) ${sweepStatement(tableNames(schema))}`, [
      NOW,
      100,
    ]);
    const raw = rows[0]?.['QUERY PLAN'];
    const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan: PlanNode }];
    const all = nodes(plan[0].Plan);
    expect(all.map((node) => node['Node Type'])).not.toContain('Seq Scan');
    const indexes = all.map((node) => node['Index Name']).filter((name) => name !== undefined);
    for (const index of [
      'challenges_expires_at',
      'pending_enrollments_expires_at',
      'trusted_devices_expires_at',
      'failures_lapse_at',
    ])
      expect(indexes).toContain(index);
  });

  it('removes exactly the lapsed rows, limit at a time', async () => {
    const store = new PostgresStore(sql, { schema });
    const each = (count: number) => ({
      challenges: count,
      pendingEnrollments: count,
      trustedDevices: count,
      failures: count,
    });
    expect(await store.sweepExpired({ now: NOW, limit: 30 })).toEqual({ ...each(30), more: true });
    expect(await store.sweepExpired({ now: NOW, limit: 30 })).toEqual({ ...each(LAPSED - 30), more: false });
    expect(await store.sweepExpired({ now: NOW, limit: 30 })).toEqual({ ...each(0), more: false });
    const t = tableNames(schema);
    const { rows } = await sql.query(`SELECT count(*) AS n FROM ${t.failures}`, []);
    expect(Number(rows[0]?.n)).toBe(LIVE);
  });
}

describe('sweepExpired on PGlite', () => {
  sweepPlanTests(async () => {
    const db = newPGlite();
    return { sql: pgliteClient(db), close: () => db.close() };
  });
});

describe.skipIf(SERVER_SKIP !== undefined)('sweepExpired on PostgreSQL', () => {
  sweepPlanTests(async () => {
    const pool = serverPool({ max: 2 });
    return { sql: pgClient(pool), close: () => pool.end() };
  });
});
