/**
 * @module
 * `@secondfactor/store-postgres`: the secondfactor store on PostgreSQL (`pg`) or PGlite, with
 * versioned migrations and one SQL statement per atomic primitive.
 */

export type { SqlClient, SqlQueryable, SqlRow } from './client';
export type { MigrateResult } from './migrate';
export { MIGRATIONS, type Migration } from './migrations';
export { DEFAULT_SCHEMA, type TableNames } from './names';
export { type PgClientOptions, type PgNamedQuery, type PgPoolLike, type PgQueryable, pgClient } from './pg';
export { type PGliteLike, type PGliteQueryable, pgliteClient } from './pglite';
export { PostgresStore, type PostgresStoreOptions } from './store';
