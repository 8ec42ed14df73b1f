/**
 * @module
 * {@link SqlClient} over node-postgres (`pg`). The types here describe the few members the adapter uses,
 * so this package never imports `pg`: the application passes its own `Pool` or `Client`.
 */
import { SecondFactorError } from '@secondfactor/core';
import type { SqlClient, SqlQueryable, SqlRow } from './client';

/**
 * A statement `pg` prepares once per connection under `name` and afterwards only binds and executes.
 *
 * @example
 * ```ts
 * import type { PgNamedQuery } from '@secondfactor/store-postgres';
 *
 * const lookup: PgNamedQuery = { name: 'sf_1', text: 'SELECT $1::int AS n', values: [1] };
 * ```
 */
export interface PgNamedQuery {
  readonly name: string;
  readonly text: string;
  readonly values: unknown[];
}

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
  query(textOrQuery: string | PgNamedQuery, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * Options of {@link pgClient} (and of `PostgresStore.fromPg`).
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { PostgresStore, type PgClientOptions } from '@secondfactor/store-postgres';
 *
 * // Behind PgBouncer in transaction mode without prepared-statement support (before 1.21, or with
 * // max_prepared_statements = 0), statements must go unnamed.
 * const options: PgClientOptions = { preparedStatements: false };
 * const store = PostgresStore.fromPg(new pg.Pool({ connectionString: process.env.DATABASE_URL }), options);
 * ```
 */
export interface PgClientOptions {
  /**
   * Send each statement outside a transaction as a named prepared statement, so that every connection
   * parses and plans it once and afterwards only binds and executes it (the store's statements are
   * few and fixed; on the verify path this halves PostgreSQL's CPU time per request). Turn it off only
   * behind a connection pooler that hands one client's statements to different server connections
   * without tracking prepared statements.
   * @default true
   */
  preparedStatements?: boolean | undefined;
}

// The name of each statement text, shared by every client of this module so that two clients over one
// pool never give one name to two texts (pg refuses that on a connection). The random prefix keeps a
// second copy of this module (a dual CommonJS / ESM install) from reusing this copy's names.
const names = new Map<string, string>();
const NAME_PREFIX = `sf_${Math.floor(Math.random() * 36 ** 6).toString(36)}_`;
// Each named statement stays prepared on every connection that ran it: past this many distinct texts
// (a caller building statements dynamically through the same client), the rest go unnamed.
const MAX_NAMED_STATEMENTS = 512;

let issued = 0;

function nameOf(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined || names.size >= MAX_NAMED_STATEMENTS) return known;
  issued += 1;
  const name = `${NAME_PREFIX}${issued}`;
  names.set(text, name);
  return name;
}

// PostgreSQL refuses to run a prepared statement whose result columns changed type since it was prepared
// (a migration altered a column it returns): "cached plan must not change result type", SQLSTATE 0A000,
// before executing anything. The text then gets a new name, so that every connection prepares it afresh,
// and the call runs once more under it. Matched by the code alone, as the message may be translated: a
// statement that fails is rolled back whole, so one more try of another 0A000 changes nothing and fails
// the same way.
const isStalePlan = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === '0A000';

function renamed(text: string, stale: string): string | undefined {
  if (names.get(text) === stale) names.delete(text);
  return nameOf(text);
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

function wrap(connection: PgQueryable, prepared = false): SqlQueryable {
  return {
    query: async (text, params) => {
      const send = async (name: string | undefined) => {
        const values = [...params];
        const result = await (name === undefined
          ? connection.query(text, values)
          : connection.query({ name, text, values }));
        return { rows: result.rows as SqlRow[] };
      };
      const name = prepared ? nameOf(text) : undefined;
      if (name === undefined) return send(undefined);
      try {
        return await send(name);
      } catch (error) {
        if (!isStalePlan(error)) throw error;
        return send(renamed(text, name));
      }
    },
  };
}

/**
 * A {@link SqlClient} over a `pg` `Pool` (recommended) or a single connected `Client`.
 * With a pool, a transaction checks one client out; with a single client, statements of other callers
 * wait until a running transaction ends, so they never land inside it. Statements outside a transaction
 * are named prepared statements unless `options.preparedStatements` is `false`; statements inside one
 * (the migrations) are always sent unnamed.
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
export function pgClient(driver: PgPoolLike | PgQueryable, options: PgClientOptions = {}): SqlClient {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new SecondFactorError('invalid_argument', 'pgClient: options must be an object');
  }
  const prepared = options.preparedStatements ?? true;
  if (typeof prepared !== 'boolean') {
    throw new SecondFactorError('invalid_argument', 'pgClient: options.preparedStatements must be a boolean');
  }
  if (isPool(driver)) {
    return {
      ...wrap(driver, prepared),
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
  const direct = wrap(driver, prepared);
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
