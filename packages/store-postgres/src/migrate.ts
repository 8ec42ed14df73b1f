/**
 * @module
 * Applies the missing migrations, each in its own transaction under a transaction-level advisory lock,
 * so any number of processes may call `migrate()` at start-up: one applies, the others wait and find
 * nothing left to do.
 */
import type { SqlClient } from './client';
import { MIGRATIONS, type Migration } from './migrations';
import type { TableNames } from './names';

/**
 * What one `migrate()` call did.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { type MigrateResult, PostgresStore } from '@secondfactor/store-postgres';
 *
 * const result: MigrateResult = await PostgresStore.fromPGlite(new PGlite()).migrate();
 * console.log(`schema at version ${result.version}, applied ${result.applied.join(', ') || 'nothing'}`);
 * ```
 */
export interface MigrateResult {
  /** Versions this call applied, oldest first; empty when the schema was already current. */
  applied: number[];
  /** The newest version the schema has now. */
  version: number;
}

// First key of pg_advisory_xact_lock(int4, int4): a fixed namespace for secondfactor's migrations.
export const LOCK_NAMESPACE = 0x5f2f_a001;

/** FNV-1a (32 bit) of the schema name as a signed int4: the second lock key, one lock per schema. */
export function lockKey(schema: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(schema)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/**
 * Brings the schema of `t` to the newest version in `migrations`. Each migration runs in one transaction
 * with its version row, so an interrupted migration leaves no trace and is applied again next time.
 */
export async function runMigrations(
  client: SqlClient,
  t: TableNames,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrateResult> {
  const schemaName = t.schema.slice(1, -1);
  const applied: number[] = [];
  for (;;) {
    const step = await client.transaction(async (tx) => {
      // Held until COMMIT or ROLLBACK, also when the connection dies: nothing to release by hand.
      await tx.query('SELECT pg_advisory_xact_lock($1::int4, $2::int4)', [
        LOCK_NAMESPACE,
        lockKey(schemaName),
      ]);
      // Look first: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when the schema exists.
      const exists = await tx.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schemaName]);
      if (exists.rows.length === 0) await tx.query(`CREATE SCHEMA ${t.schema}`, []);
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${t.migrations} (
          version integer PRIMARY KEY,
          name text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now()
        )`,
        [],
      );
      const { rows } = await tx.query(`SELECT version FROM ${t.migrations}`, []);
      const done = new Set(rows.map((row) => Number(row.version)));
      const next = migrations.find((migration) => !done.has(migration.version));
      if (next === undefined) return { version: Math.max(0, ...done) };
      for (const statement of next.statements(t)) await tx.query(statement, []);
      await tx.query(`INSERT INTO ${t.migrations} (version, name) VALUES ($1, $2)`, [
        next.version,
        next.name,
      ]);
      return { applied: next.version };
    });
    if ('version' in step) return { applied, version: step.version };
    applied.push(step.applied);
  }
}
