/**
 * @module
 * What a user costs in PostgreSQL, and what replacing a user's backup codes takes, at schema version 1
 * (digests as hex text under a regex CHECK) and at the newest version (digests as bytea, checked by
 * length). Both schemas live side by side on the server at `DATABASE_URL`, each in a schema of its own
 * that is dropped at the end, and are written by the same `PostgresStore` calls: the version-1 store
 * sends the version-1 statements, which are the current ones without the hex conversion (see
 * {@link versionOneClient}).
 */
import { randomBytes } from 'node:crypto';
import type { SecondFactorStore } from '@secondfactor/store';
import {
  MIGRATIONS,
  PostgresStore,
  pgClient,
  type SqlClient,
  type SqlQueryable,
} from '@secondfactor/store-postgres';
import type pg from 'pg';
import { tableNames } from '../packages/store-postgres/src/names';
import { totpCredential } from './store';
import { formatOps, type Table } from './table';

const QUICK = process.env.BENCH_QUICK === '1';
const USERS = Number(process.env.BENCH_USERS) || (QUICK ? 1_000 : 10_000);
const CODES = 10;
const AUDIT_EVENTS = 3;
const REPLACEMENTS = QUICK ? 300 : 3_000;
const WARMUP_REPLACEMENTS = QUICK ? 50 : 300;
const CONNECTIONS = 16;
const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
const digests = (): string[] => Array.from({ length: CODES }, () => hex(32));

/**
 * The statements of schema version 1: version 2 changed only the digest columns, and the statements
 * only by `decode(…, 'hex')` on the way in and `encode(digest, 'hex') AS digest` on the way out, so
 * removing those gives back the version-1 text.
 */
function versionOneClient(inner: SqlClient): SqlClient {
  const rewrite = (text: string): string =>
    text
      .replace(/decode\((\$\d+|digest), 'hex'\)/g, '$1')
      .replace(/encode\(digest, 'hex'\) AS digest/g, 'digest');
  return {
    query: (text, params) => inner.query(rewrite(text), params),
    transaction: (fn) => inner.transaction(fn),
  };
}

/** A schema with the migrations up to `version`, and a store that speaks to it. */
async function openSchema(pool: pg.Pool, version: 1 | 2): Promise<PostgresStore & { schema: string }> {
  const schema = `sf_bench_size_v${version}_${hex(4)}`;
  const t = tableNames(schema);
  await pool.query(`CREATE SCHEMA ${t.schema}`);
  for (const migration of MIGRATIONS.filter((m) => m.version <= version)) {
    for (const statement of migration.statements(t)) await pool.query(statement);
  }
  const client = version === 1 ? versionOneClient(pgClient(pool)) : pgClient(pool);
  return Object.assign(new PostgresStore(client, { schema }), { schema });
}

/** One typical user: a TOTP credential, a set of 10 backup codes, a trusted device, 3 audit events. */
async function addUser(store: SecondFactorStore, userId: string, now: number): Promise<void> {
  await store.addCredential(totpCredential(`cred-${hex(8)}`, userId, now));
  await store.replaceBackupCodes(userId, { digests: digests(), salt: hex(16), now });
  await store.addTrustedDevice({
    id: `dev-${hex(8)}`,
    userId,
    digest: hex(32),
    label: 'Firefox on Linux',
    createdAt: now,
    expiresAt: now + 30 * 86_400_000,
  });
  for (const type of ['enrollment.confirmed', 'backup_codes.generated', 'login.succeeded'].slice(
    0,
    AUDIT_EVENTS,
  )) {
    await store.appendAudit({ id: `evt-${hex(8)}`, at: now, type, userId, data: { ip: '203.0.113.7' } });
  }
}

/** `users` fresh users (random ids, so every index is filled in random key order, as in production). */
async function populate(store: SecondFactorStore, users: readonly string[]): Promise<void> {
  let next = 0;
  const now = Date.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < users.length) await addUser(store, users[next++]!, now);
    }),
  );
}

interface Sizes {
  readonly heap: Map<string, number>;
  readonly indexes: Map<string, number>;
}

async function sizes(sql: SqlQueryable, schema: string): Promise<Sizes> {
  const { rows } = await sql.query(
    `SELECT c.relname AS name, pg_table_size(c.oid) AS heap, pg_indexes_size(c.oid) AS indexes
     FROM pg_class c WHERE c.relnamespace = $1::regnamespace AND c.relkind = 'r' ORDER BY c.relname`,
    [schema],
  );
  return {
    heap: new Map(rows.map((row) => [String(row.name), Number(row.heap)])),
    indexes: new Map(rows.map((row) => [String(row.name), Number(row.indexes)])),
  };
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/**
 * One client replacing the 10 codes of existing users, one call after another, alternating between the
 * schemas (the first one alternates each round), so load from anything else on the machine hits both
 * alike. Latencies of each schema, sorted.
 */
async function replaceLatencies(
  schemas: readonly { store: SecondFactorStore; users: readonly string[] }[],
): Promise<number[][]> {
  const latencies: number[][] = schemas.map(() => []);
  for (let i = 0; i < WARMUP_REPLACEMENTS + REPLACEMENTS; i++) {
    for (let j = 0; j < schemas.length; j++) {
      const k = (i + j) % schemas.length;
      const { store, users } = schemas[k]!;
      const userId = users[(i * 7919) % users.length]!;
      const codes = digests();
      const started = performance.now();
      await store.replaceBackupCodes(userId, { digests: codes, salt: hex(16), now: Date.now() });
      if (i >= WARMUP_REPLACEMENTS) latencies[k]!.push(performance.now() - started);
    }
  }
  return latencies.map((list) => list.sort((a, b) => a - b));
}

const perUser = (bytes: number): string => Math.round(bytes / USERS).toLocaleString('en-US');
const change = (before: number, after: number): string =>
  `${after <= before ? '−' : '+'}${Math.round((Math.abs(before - after) / before) * 100)}%`;
const ms = (value: number): string => value.toFixed(2);

/** Bytes per user and `replaceBackupCodes` latency at schema version 1 and at the newest version. */
export async function storeSizeBench(): Promise<Table[]> {
  const { default: pgModule } = await import('pg');
  const pool = new pgModule.Pool({
    connectionString: DATABASE_URL,
    max: CONNECTIONS,
    connectionTimeoutMillis: 2_000,
  });
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = `no PostgreSQL server answers at ${DATABASE_URL} (${(error as Error).message})`;
    console.error(`store-size bench skipped: ${reason}`);
    return [
      { title: 'Store size: bytes per user on PostgreSQL', columns: ['skipped'], rows: [], notes: [reason] },
    ];
  }
  const versions = [
    { version: 1 as const, label: 'version 1 (hex text, regex CHECK)' },
    { version: 2 as const, label: 'version 2 (bytea, length CHECK)' },
  ];
  const opened: { store: PostgresStore & { schema: string }; users: string[] }[] = [];
  const measured: { sizes: Sizes; latencies: number[] }[] = [];
  try {
    for (const { version, label } of versions) {
      const store = await openSchema(pool, version);
      const users = Array.from({ length: USERS }, () => `user-${hex(8)}`);
      opened.push({ store, users });
      console.error(`store-size: ${label}: writing ${USERS} users …`);
      await populate(store, users);
      // The same state for both: dead tuples none, free-space and visibility maps present.
      // The tables this schema version has (a later migration's tables are not there at version 1).
      const { rows: tables } = await pool.query<{ name: string }>(
        "SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables WHERE table_schema = $1",
        [store.schema],
      );
      for (const { name } of tables) await pool.query(`VACUUM ANALYZE ${name}`);
      measured.push({ sizes: await sizes(pgClient(pool), store.schema), latencies: [] });
    }
    console.error('store-size: timing replaceBackupCodes …');
    const latencies = await replaceLatencies(opened);
    for (const [i, entry] of measured.entries()) measured[i] = { ...entry, latencies: latencies[i]! };
  } finally {
    for (const { store } of opened) await pool.query(`DROP SCHEMA IF EXISTS "${store.schema}" CASCADE`);
    await pool.end();
  }

  const [before, after] = measured as [(typeof measured)[0], (typeof measured)[0]];
  const tables = [...before.sizes.heap.keys()].filter((name) => name !== 'schema_migrations');
  const rows: string[][] = [];
  let [totalBefore, totalAfter] = [0, 0];
  for (const table of tables) {
    for (const part of ['heap', 'indexes'] as const) {
      const b = before.sizes[part].get(table) ?? 0;
      const a = after.sizes[part].get(table) ?? 0;
      totalBefore += b;
      totalAfter += a;
      if (Math.max(b, a) >= USERS)
        rows.push([
          `${table} (${part === 'heap' ? 'table' : 'indexes'})`,
          perUser(b),
          perUser(a),
          change(b, a),
        ]);
    }
  }
  rows.push([
    '**total (every table and index)**',
    perUser(totalBefore),
    perUser(totalAfter),
    change(totalBefore, totalAfter),
  ]);

  const sizeTable: Table = {
    title: 'Store size on PostgreSQL: bytes per user, schema version 1 and 2',
    columns: ['relation', 'version 1 (B/user)', 'version 2 (B/user)', 'change'],
    rows,
    notes: [
      `method: ${USERS.toLocaleString('en-US')} users written through PostgresStore (${CONNECTIONS} connections), each with one TOTP credential, a set of ${CODES} backup codes (32-byte digests), one trusted device and ${AUDIT_EVENTS} audit events; random ids, so indexes fill in random key order. Then pg_table_size (heap, TOAST, free-space and visibility maps) and pg_indexes_size per table, divided by the users; relations under 1 B/user left out of the rows, not of the total.`,
      'version 1 is written by the same calls with the statements of version 1 (the current ones without the hex conversion); both schemas live on the same server in one run, and each is vacuumed before it is measured, so neither carries dead rows.',
    ],
  };
  const latencyRows = versions.map((version, i) => {
    const latencies = measured[i]!.latencies;
    const total = latencies.reduce((sum, value) => sum + value, 0);
    return [
      version.label,
      ms(percentile(latencies, 50)),
      ms(percentile(latencies, 99)),
      formatOps((latencies.length * 1000) / total),
    ];
  });
  const latencyTable: Table = {
    title: 'Store: replaceBackupCodes of an existing user (10 codes), one client, PostgreSQL',
    columns: ['schema', 'p50 (ms)', 'p99 (ms)', 'calls/s'],
    rows: latencyRows,
    notes: [
      `method: after the size was taken, one client replaces the ${CODES} codes of existing users (of the ${USERS.toLocaleString('en-US')}), one call after another, alternating between the two schemas: ${WARMUP_REPLACEMENTS} calls each of warm-up, then ${REPLACEMENTS} timed each; each call retires the user's previous codes and writes ${CODES} new digests.`,
    ],
  };
  return [sizeTable, latencyTable];
}
