/**
 * @module
 * {@link SqlClient} over node-postgres (`pg`). The types here describe the few members the adapter uses,
 * so this package never imports `pg`: the application passes its own `Pool` or `Client`.
 */
import type { SqlClient, SqlQueryable, SqlRow } from './client';

/**
 * What the adapter calls on a `pg` `Client`, `PoolClient` or `Pool`.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import type { PgQueryable } from '@secondfactor/store-postgres';
 *
 * const client: PgQueryable = new pg.Client({ connectionString: process.env.DATABASE_URL });
 * ```
 */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * A `pg` `Pool`: `connect()` checks a client out for a transaction.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import type { PgPoolLike } from '@secondfactor/store-postgres';
 *
 * const pool: PgPoolLike = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * ```
 */
export interface PgPoolLike extends PgQueryable {
  connect(): Promise<PgQueryable & { release(destroy?: boolean | Error): void }>;
  /** Present on a `Pool` only; tells it apart from a `Client`, which has `connect()` too. */
  readonly totalCount: number;
}

function isPool(driver: PgPoolLike | PgQueryable): driver is PgPoolLike {
  return typeof (driver as Partial<PgPoolLike>).totalCount === 'number';
}

async function inTransaction<T>(connection: PgQueryable, fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
  const tx = wrap(connection);
  await connection.query('BEGIN');
  try {
    const result = await fn(tx);
    await connection.query('COMMIT');
    return result;
  } catch (error) {
    // A dead connection cannot roll back; the server discards its open transaction by itself.
    await connection.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function wrap(connection: PgQueryable): SqlQueryable {
  return {
    query: async (text, params) => {
      const result = await connection.query(text, [...params]);
      return { rows: result.rows as SqlRow[] };
    },
  };
}

/**
 * A {@link SqlClient} over a `pg` `Pool` (recommended) or a single connected `Client`.
 * With a pool, a transaction checks one client out; with a single client, statements of other callers
 * wait until a running transaction ends, so they never land inside it.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { pgClient } from '@secondfactor/store-postgres';
 *
 * const sql = pgClient(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * const { rows } = await sql.query('SELECT 1 AS one', []);
 * ```
 */
export function pgClient(driver: PgPoolLike | PgQueryable): SqlClient {
  if (isPool(driver)) {
    return {
      ...wrap(driver),
      transaction: async (fn) => {
        const connection = await driver.connect();
        let failure: unknown;
        try {
          return await inTransaction(connection, fn);
        } catch (error) {
          failure = error;
          throw error;
        } finally {
          // Destroy rather than reuse a connection whose transaction failed: it may be broken.
          connection.release(failure === undefined ? undefined : true);
        }
      },
    };
  }
  // One connection: a queue keeps every statement of other callers out of an open transaction.
  let tail: Promise<unknown> = Promise.resolve();
  const direct = wrap(driver);
  const enqueue = <T>(run: () => Promise<T>): Promise<T> => {
    const next = tail.then(run, run);
    tail = next.catch(() => undefined);
    return next;
  };
  return {
    query: (text, params) => enqueue(() => direct.query(text, params)),
    transaction: (fn) => enqueue(() => inTransaction(driver, fn)),
  };
}
