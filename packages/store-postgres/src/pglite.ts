/**
 * @module
 * {@link SqlClient} over PGlite (`@electric-sql/pglite`), PostgreSQL compiled to WebAssembly and run in
 * the process. The types describe the members the adapter uses; this package never imports PGlite.
 */
import type { StoreCapabilities } from '@secondfactor/store';
import type { SqlClient, SqlRow } from './client';

/**
 * What the adapter calls on a PGlite instance or one of its transactions.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import type { PGliteQueryable } from '@secondfactor/store-postgres';
 *
 * const db: PGliteQueryable = new PGlite();
 * ```
 */
export interface PGliteQueryable {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * A PGlite instance.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import type { PGliteLike } from '@secondfactor/store-postgres';
 *
 * const db: PGliteLike = new PGlite('./.data/2fa');
 * ```
 */
export interface PGliteLike extends PGliteQueryable {
  transaction<T>(fn: (tx: PGliteQueryable) => Promise<T>): Promise<T>;
  /** Where the database is persisted (`'./.data/2fa'`, `'idb://2fa'`); absent or `memory://…` in memory. */
  readonly dataDir?: string | undefined;
}

// The clients made by `pgliteClient`, with what their database can promise: it lives in one process,
// and survives a restart only when it is persisted.
const embedded = new WeakMap<SqlClient, StoreCapabilities>();

/**
 * The capabilities of a store over `client` when it is a PGlite client, else `undefined`.
 *
 * @internal
 */
export const embeddedCapabilities = (client: SqlClient): StoreCapabilities | undefined =>
  embedded.get(client);

/**
 * A {@link SqlClient} over a PGlite instance. PGlite runs one statement at a time and holds other
 * statements back while a transaction is open, so no queue is needed here. A `PostgresStore` over it
 * declares `multiProcess: false` (the database lives in this process) and `durable` only when the
 * database is persisted to a directory or IndexedDB.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { pgliteClient } from '@secondfactor/store-postgres';
 *
 * const sql = pgliteClient(new PGlite());
 * const { rows } = await sql.query('SELECT 1 AS one', []);
 * ```
 */
export function pgliteClient(db: PGliteLike): SqlClient {
  const run = async (target: PGliteQueryable, text: string, params: readonly unknown[]) => {
    const result = await target.query(text, [...params]);
    return { rows: result.rows as SqlRow[] };
  };
  const client: SqlClient = {
    query: (text, params) => run(db, text, params),
    transaction: (fn) => db.transaction((tx) => fn({ query: (text, params) => run(tx, text, params) })),
  };
  const dataDir = db.dataDir;
  embedded.set(client, {
    multiProcess: false,
    durable: typeof dataDir === 'string' && dataDir !== '' && !dataDir.startsWith('memory://'),
  });
  return client;
}
