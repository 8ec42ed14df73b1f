/**
 * migrate(): idempotent, one transaction per migration, safe when several processes start at once
 * (advisory lock), and the same schema on PGlite as on a server.
 */
import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, PostgresStore, type SqlClient, type SqlQueryable } from '../src/index';
import { LOCK_NAMESPACE, lockKey, runMigrations } from '../src/migrate';
import { tableNames } from '../src/names';
import {
  dropSchema,
  newPGlite,
  pgClient,
  pgliteClient,
  randomSchema,
  SERVER_SKIP,
  serverPool,
} from './helpers';

const LATEST = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
const TABLES = [
  'audit_events',
  'backup_code_sets',
  'backup_codes',
  'challenges',
  'credentials',
  'failures',
  'pending_enrollments',
  'schema_migrations',
  'trusted_devices',
  'user_settings',
];

/** Tables, columns with types, constraints and indexes of a schema: what "the schema is correct" means. */
async function describeSchema(sql: SqlQueryable, schema: string): Promise<Record<string, unknown>> {
  const columns = await sql.query(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
     WHERE table_schema = $1 ORDER BY table_name, column_name`,
    [schema],
  );
  const constraints = await sql.query(
    // PostgreSQL 18 (PGlite) lists NOT NULL as constraints too; information_schema.columns covers them.
    `SELECT conrelid::regclass::text AS on_table, conname, contype::text, pg_get_constraintdef(oid) AS definition
     FROM pg_constraint WHERE connamespace = $1::regnamespace AND contype <> 'n' ORDER BY conname`,
    [schema],
  );
  const indexes = await sql.query(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname`,
    [schema],
  );
  const strip = (text: unknown): string => String(text).replaceAll(`${schema}.`, '');
  return {
    columns: columns.rows,
    constraints: constraints.rows.map((row) => ({ ...row, on_table: strip(row.on_table) })),
    indexes: indexes.rows.map((row) => ({ name: row.indexname, definition: strip(row.indexdef) })),
  };
}

async function tablesOf(sql: SqlQueryable, schema: string): Promise<string[]> {
  const { rows } = await sql.query(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
    [schema],
  );
  return rows.map((row) => String(row.table_name));
}

describe('migrate() on PGlite', () => {
  const db = newPGlite();
  const sql = pgliteClient(db);
  afterAll(() => db.close());

  it('creates the schema and every table, then finds nothing left to do', async () => {
    const schema = randomSchema();
    const store = PostgresStore.fromPGlite(db, { schema });
    expect(await store.migrate()).toEqual({ applied: MIGRATIONS.map((m) => m.version), version: LATEST });
    expect(await tablesOf(sql, schema)).toEqual(TABLES);
    const before = await describeSchema(sql, schema);
    expect(await store.migrate()).toEqual({ applied: [], version: LATEST });
    expect(await store.migrate()).toEqual({ applied: [], version: LATEST });
    expect(await describeSchema(sql, schema)).toEqual(before);
    const { rows } = await sql.query(`SELECT version, name FROM "${schema}".schema_migrations`, []);
    expect(rows.map((row) => Number(row.version))).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('two concurrent migrate() calls on a fresh schema both succeed and apply each migration once', async () => {
    const schema = randomSchema();
    const results = await Promise.all([
      PostgresStore.fromPGlite(db, { schema }).migrate(),
      PostgresStore.fromPGlite(db, { schema }).migrate(),
    ]);
    expect(results.flatMap((result) => result.applied).sort()).toEqual(MIGRATIONS.map((m) => m.version));
    expect(results.every((result) => result.version === LATEST)).toBe(true);
    expect(await tablesOf(sql, schema)).toEqual(TABLES);
  });

  it('a migration that fails is rolled back whole and not recorded; the earlier ones stay', async () => {
    const schema = randomSchema();
    const t = tableNames(schema);
    const broken = {
      version: 1000,
      name: 'fails halfway',
      statements: () => [`CREATE TABLE "${schema}".half_done (id integer)`, 'SELECT no_such_function()'],
    };
    await expect(runMigrations(sql, t, [...MIGRATIONS, broken])).rejects.toThrow();
    expect(await tablesOf(sql, schema)).toEqual(TABLES);
    const { rows } = await sql.query(`SELECT max(version) AS version FROM ${t.migrations}`, []);
    expect(Number(rows[0]?.version)).toBe(LATEST);
  });

  it('a schema name that is not a plain lowercase identifier is refused before any SQL', () => {
    for (const schema of ['', 'Upper', 'with space', 'x"; DROP SCHEMA public; --', 'a'.repeat(64), '1abc']) {
      expect(() => PostgresStore.fromPGlite(db, { schema })).toThrow(/options.schema/);
    }
  });
});

describe.skipIf(SERVER_SKIP !== undefined)('migrate() on PostgreSQL', () => {
  const pools: pg.Pool[] = [];
  const pool = (): pg.Pool => {
    const created = serverPool({ max: 2 });
    pools.push(created);
    return created;
  };
  const schemas: string[] = [];
  const fresh = (): string => {
    const schema = randomSchema();
    schemas.push(schema);
    return schema;
  };
  afterAll(async () => {
    const admin = pool();
    for (const schema of schemas) await dropSchema(pgClient(admin), schema);
    await Promise.all(pools.map((item) => item.end()));
  });

  it('four processes starting at once (separate pools) all succeed; each migration is applied once', async () => {
    const schema = fresh();
    const results = await Promise.all(
      Array.from({ length: 4 }, () => PostgresStore.fromPg(pool(), { schema }).migrate()),
    );
    expect(results.flatMap((result) => result.applied).sort()).toEqual(MIGRATIONS.map((m) => m.version));
    expect(results.every((result) => result.version === LATEST)).toBe(true);
    expect(await tablesOf(pgClient(pools[0]!), schema)).toEqual(TABLES);
    expect((await PostgresStore.fromPg(pool(), { schema }).migrate()).applied).toEqual([]);
  });

  it('waits on the advisory lock held by another migrating process, then finds the work done', async () => {
    const schema = fresh();
    const holder = await pool().connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1::int4, $2::int4)', [
        LOCK_NAMESPACE,
        lockKey(schema),
      ]);
      const waiterPool = pool();
      const waiting = PostgresStore.fromPg(waiterPool, { schema }).migrate();
      // The other process is blocked on exactly this lock (pg_locks shows it ungranted).
      for (;;) {
        const { rows } = await pools[0]!.query(
          `SELECT count(*)::int AS n FROM pg_locks
           WHERE locktype = 'advisory' AND NOT granted AND classid = $1::int4::oid AND objid = $2::int4::oid`,
          [LOCK_NAMESPACE, lockKey(schema)],
        );
        if (rows[0].n === 1) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Meanwhile the holder migrates in its own transaction, as a second process would.
      await runMigrations(
        {
          query: (text, params) => holder.query(text, [...params]),
          transaction: (fn) => fn(pgClient(holder)),
        } as SqlClient,
        tableNames(schema),
      );
      await holder.query('COMMIT');
      expect(await waiting).toEqual({ applied: [], version: LATEST });
    } finally {
      holder.release();
    }
  });

  it('PGlite and the server end up with the same schema', async () => {
    const schema = fresh();
    const server = pool();
    await PostgresStore.fromPg(server, { schema }).migrate();
    const db = newPGlite();
    await PostgresStore.fromPGlite(db, { schema }).migrate();
    expect(await describeSchema(pgliteClient(db), schema)).toEqual(
      await describeSchema(pgClient(server), schema),
    );
    await db.close();
  });
});
