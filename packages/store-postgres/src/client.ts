/**
 * @module
 * The one thing the adapter needs from a PostgreSQL driver: run a parameterised statement, and run a
 * function inside a transaction on one connection. `fromPg` and `fromPGlite` build it from a driver object.
 */

/**
 * A row as the driver returns it: column name to value (`bigint` may arrive as string, number or bigint).
 *
 * @example
 * ```ts
 * import type { SqlRow } from '@secondfactor/store-postgres';
 *
 * const row: SqlRow = { id: 'cred-1', last_used_step: '57000001' };
 * ```
 */
export type SqlRow = Record<string, unknown>;

/**
 * Runs one parameterised statement (`$1`, `$2`, …) and resolves with its rows.
 *
 * @example
 * ```ts
 * import type { SqlQueryable } from '@secondfactor/store-postgres';
 *
 * async function serverVersion(sql: SqlQueryable): Promise<string> {
 *   const { rows } = await sql.query('SELECT current_setting($1) AS v', ['server_version']);
 *   return String(rows[0]?.v);
 * }
 * ```
 */
export interface SqlQueryable {
  query(text: string, params: readonly unknown[]): Promise<{ rows: SqlRow[] }>;
}

/**
 * A connection or pool as {@link PostgresStore} uses it. Every atomic primitive is one `query`; only
 * `migrate()` uses `transaction`, whose callback must see one connection from `BEGIN` to `COMMIT`.
 *
 * @example
 * ```ts
 * import { PostgresStore, type SqlClient } from '@secondfactor/store-postgres';
 *
 * // Any driver can be wrapped: count the round trips of a store, for instance.
 * function counting(inner: SqlClient, onQuery: () => void): SqlClient {
 *   return {
 *     query: (text, params) => {
 *       onQuery();
 *       return inner.query(text, params);
 *     },
 *     transaction: (fn) => inner.transaction(fn),
 *   };
 * }
 * const store = new PostgresStore(counting(myClient, () => metrics.increment('sql')));
 * ```
 */
export interface SqlClient extends SqlQueryable {
  /**
   * Runs `fn` between `BEGIN` and `COMMIT` on one connection; rolls back and rethrows if `fn` throws.
   * No statement of another caller may run inside it.
   */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
}
