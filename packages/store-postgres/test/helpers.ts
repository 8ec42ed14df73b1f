/**
 * Shared test setup: a PGlite database, a pool on the real server (when DATABASE_URL is set), a fresh
 * schema per run, and the raw dump the conformance suite inspects.
 */
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { pgClient, pgliteClient, type SqlClient, type SqlQueryable } from '../src/index';

export const DATABASE_URL: string | undefined = process.env.DATABASE_URL || undefined;

/** Why a server test is skipped, or undefined when it runs. */
export const SERVER_SKIP: string | undefined =
  DATABASE_URL === undefined ? 'DATABASE_URL is not set: no PostgreSQL server to test against' : undefined;

if (SERVER_SKIP !== undefined) console.info(`[store-postgres] skipping server tests: ${SERVER_SKIP}`);

/** A schema name no other run uses. */
export function randomSchema(prefix = 'sf_test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** A pool on the test server. Idle-client errors (a terminated backend) must not crash the runner. */
export function serverPool(options: pg.PoolConfig = {}): pg.Pool {
  if (DATABASE_URL === undefined) throw new Error('DATABASE_URL is not set');
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 20, ...options });
  pool.on('error', () => undefined);
  return pool;
}

/** One connected client on the test server (a connection of its own, as one process has). */
export async function serverClient(): Promise<pg.Client> {
  if (DATABASE_URL === undefined) throw new Error('DATABASE_URL is not set');
  const client = new pg.Client({ connectionString: DATABASE_URL });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export function newPGlite(): PGlite {
  return new PGlite();
}

export { pgClient, pgliteClient };

/**
 * Every row of every table of `schema`, one JSON line per row: what the backend persisted. `row_to_json`
 * shows a `bytea` value as `"\\x<hex>"`, so a digest appears as the contract's hex; each `bytea` value
 * is also appended in `encode(…, 'escape')` form, where printable bytes stand as themselves, so a code or
 * token written into a digest column as its own bytes is visible too.
 */
export async function dumpSchema(sql: SqlQueryable, schema: string): Promise<string> {
  const { rows: tables } = await sql.query(
    `SELECT table_name,
            array_to_string(array(
              SELECT format('encode(t.%I, ''escape'')', column_name) FROM information_schema.columns c
              WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.data_type = 'bytea'
              ORDER BY column_name
            ), ', ') AS bytes
     FROM information_schema.tables t WHERE table_schema = $1 ORDER BY table_name`,
    [schema],
  );
  const lines: string[] = [];
  for (const { table_name, bytes } of tables) {
    const escaped = bytes === '' ? `''` : `concat_ws(' ', ${String(bytes)})`;
    const { rows } = await sql.query(
      `SELECT row_to_json(t)::text AS row, ${escaped} AS bytes FROM "${schema}"."${String(table_name)}" t`,
      [],
    );
    for (const row of rows)
      lines.push(`${String(table_name)} ${String(row.row)} ${String(row.bytes)}`.trimEnd());
  }
  return lines.join('\n');
}

export async function dropSchema(sql: SqlQueryable, schema: string): Promise<void> {
  await sql.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`, []);
}

/** A client that counts the statements it forwards: one statement is one round trip. */
export function countingClient(inner: SqlClient): SqlClient & { count: number; texts: string[] } {
  const counter = {
    count: 0,
    texts: [] as string[],
    query: (text: string, params: readonly unknown[]) => {
      counter.count += 1;
      counter.texts.push(text);
      return inner.query(text, params);
    },
    transaction: <T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> => inner.transaction(fn),
  };
  return counter;
}
