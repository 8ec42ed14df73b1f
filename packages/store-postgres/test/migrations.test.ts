/**
 * migrate(): idempotent, one transaction per migration, safe when several processes start at once
 * (advisory lock), and the same schema on PGlite as on a server.
 */
import { randomBytes } from 'node:crypto';
import type { ChallengeRecord, TrustedDeviceRecord } from '@secondfactor/store';
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
  'session_epochs',
  'tenant_settings',
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

const hexOf = (bytes: number): string => randomBytes(bytes).toString('hex');
const DIGEST_TABLES = ['backup_codes', 'challenges', 'trusted_devices'] as const;

/** Every row of the digest tables, digests as hex whatever the column type (text before 2, bytea after). */
async function digestRows(sql: SqlQueryable, schema: string): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const table of DIGEST_TABLES) {
    const { rows } = await sql.query(`SELECT * FROM "${schema}".${table} ORDER BY 1, 2, 3`, []);
    result[table] = rows.map((row) => ({
      ...row,
      digest:
        row.digest instanceof Uint8Array ? Buffer.from(row.digest).toString('hex') : (row.digest ?? null),
    }));
  }
  return result;
}

/**
 * Version 2 on a database at version 1 that holds rows: written as the version-1 statements wrote them
 * (hex text), converted in place, and read back identical, through SQL and through the store.
 */
async function migratesDigestsInPlace(sql: SqlClient, store: PostgresStore, schema: string): Promise<void> {
  const t = tableNames(schema);
  expect(await runMigrations(sql, t, MIGRATIONS.slice(0, 1))).toEqual({ applied: [1], version: 1 });
  const now = 1_700_000_000_000;
  const codes = [hexOf(32), hexOf(16), hexOf(64)];
  const stale = hexOf(32);
  await sql.query(
    `INSERT INTO ${t.backupCodeSets} (user_id, generation, salt, remaining, created_at) VALUES ('u-1', 2, 's', 3, $1)`,
    [now],
  );
  await sql.query(
    `INSERT INTO ${t.backupCodes} (user_id, digest, generation)
     SELECT 'u-1', d, 2 FROM unnest($1::text[]) AS d UNION ALL SELECT 'u-1', $2, 1`,
    [codes, stale],
  );
  const challenges: ChallengeRecord[] = [
    {
      id: 'ch-1',
      userId: 'u-1',
      kind: 'email',
      purpose: 'login',
      digest: hexOf(32),
      createdAt: now,
      expiresAt: now + 600_000,
      attempts: 1,
      maxAttempts: 5,
      deliveries: 1,
      data: { to: 'a' },
    },
    {
      id: 'ch-2',
      userId: 'u-1',
      tenantId: 'ten',
      kind: 'push',
      purpose: 'step_up',
      digest: null,
      createdAt: now,
      expiresAt: now + 600_000,
      attempts: 0,
      maxAttempts: 3,
      deliveries: 1,
    },
  ];
  for (const c of challenges) {
    await sql.query(
      `INSERT INTO ${t.challenges} (id, user_id, tenant_id, kind, purpose, credential_id, digest, created_at, expires_at, attempts, max_attempts, deliveries, consumed_at, data)
       VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, $9, $10, $11, NULL, $12)`,
      [
        c.id,
        c.userId,
        c.tenantId ?? null,
        c.kind,
        c.purpose,
        c.digest,
        c.createdAt,
        c.expiresAt,
        c.attempts,
        c.maxAttempts,
        c.deliveries,
        c.data === undefined ? null : JSON.stringify(c.data),
      ],
    );
  }
  const devices: TrustedDeviceRecord[] = [
    { id: 'dev-1', userId: 'u-1', digest: hexOf(64), label: 'laptop', createdAt: now, expiresAt: now + 1e9 },
    { id: 'dev-2', userId: 'u-1', digest: hexOf(16), createdAt: now, expiresAt: now + 1e9 },
  ];
  for (const d of devices) {
    await sql.query(
      `INSERT INTO ${t.trustedDevices} (id, user_id, digest, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [d.id, d.userId, d.digest, d.label ?? null, d.createdAt, d.expiresAt],
    );
  }
  const before = await digestRows(sql, schema);

  expect(await store.migrate()).toEqual({
    applied: MIGRATIONS.slice(1).map((m) => m.version),
    version: LATEST,
  });
  const { rows: types } = await sql.query(
    `SELECT table_name, data_type FROM information_schema.columns
     WHERE table_schema = $1 AND column_name = 'digest' ORDER BY table_name`,
    [schema],
  );
  expect(types).toEqual(DIGEST_TABLES.map((table) => ({ table_name: table, data_type: 'bytea' })));
  expect(await digestRows(sql, schema)).toEqual(before);

  for (const c of challenges) expect(await store.getChallenge(c.userId, c.id)).toEqual(c);
  for (const d of devices) expect(await store.findTrustedDevice(d.userId, d.digest, { now })).toEqual(d);
  expect(await store.getBackupCodeSet('u-1')).toEqual({ salt: 's', remaining: 3, createdAt: now });
  expect(await store.consumeBackupCode('u-1', stale)).toEqual({ consumed: false, remaining: 3 });
  expect(await store.consumeBackupCode('u-1', codes[2]!)).toEqual({ consumed: true, remaining: 2 });
  expect(await store.consumeChallenge('u-1', 'ch-1', { digest: challenges[0]!.digest!, now })).toBe('ok');
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

  it('version 2 converts the digests of a version-1 database with rows in place; every record reads back identical', async () => {
    const schema = randomSchema();
    await migratesDigestsInPlace(sql, PostgresStore.fromPGlite(db, { schema }), schema);
  });

  it('version 4 renames required_by_admin to use_two_factor keeping every value, and holds new OTP rows to 6–8 digits', async () => {
    const schema = randomSchema();
    const t = tableNames(schema);
    const store = PostgresStore.fromPGlite(db, { schema });
    expect(await runMigrations(sql, t, MIGRATIONS.slice(0, 3))).toEqual({ applied: [1, 2, 3], version: 3 });
    await sql.query(
      `INSERT INTO ${t.userSettings} (user_id, tenant_id, required_by_admin, may_toggle, updated_at)
       VALUES ('u-on', 'acme', true, false, 1), ('u-off', NULL, false, true, 2), ('u-rules', NULL, NULL, true, 3)`,
      [],
    );
    expect(await store.migrate()).toEqual({
      applied: MIGRATIONS.slice(3).map((m) => m.version),
      version: LATEST,
    });
    expect(await store.getUserSettings('u-on')).toEqual({
      userId: 'u-on',
      tenantId: 'acme',
      useTwoFactor: true,
      mayToggle: false,
      updatedAt: 1,
    });
    expect((await store.getUserSettings('u-off'))?.useTwoFactor).toBe(false);
    expect((await store.getUserSettings('u-rules'))?.useTwoFactor).toBeNull();
    const { rows } = await sql.query(
      `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE conname IN ('credentials_digits', 'pending_digits')
         AND connamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1) ORDER BY conname`,
      [schema],
    );
    expect(rows).toEqual([
      { conname: 'credentials_digits', def: 'CHECK (((digits >= 6) AND (digits <= 8))) NOT VALID' },
      { conname: 'pending_digits', def: 'CHECK (((digits >= 6) AND (digits <= 8))) NOT VALID' },
    ]);
  });

  it('version 5 keeps every settings row as it was, then stores mayToggle null, enrollmentResetAt and epochs', async () => {
    const schema = randomSchema();
    const t = tableNames(schema);
    const store = PostgresStore.fromPGlite(db, { schema });
    expect(await runMigrations(sql, t, MIGRATIONS.slice(0, 4))).toEqual({
      applied: [1, 2, 3, 4],
      version: 4,
    });
    await sql.query(
      `INSERT INTO ${t.userSettings} (user_id, tenant_id, use_two_factor, may_toggle, grace_started_at, updated_at)
       VALUES ('u-may', 'acme', true, true, 5, 1), ('u-may-not', NULL, NULL, false, NULL, 2)`,
      [],
    );
    // Before version 5 nobody could leave "may toggle" unset.
    expect(
      await sql
        .query(`INSERT INTO ${t.userSettings} (user_id, may_toggle, updated_at) VALUES ('u-x', NULL, 3)`, [])
        .then(
          () => 'ok',
          (error: { code?: string }) => error.code,
        ),
    ).toBe('23502');
    expect(await store.migrate()).toEqual({
      applied: MIGRATIONS.slice(4).map((m) => m.version),
      version: LATEST,
    });
    expect(await store.getUserSettings('u-may')).toEqual({
      userId: 'u-may',
      tenantId: 'acme',
      useTwoFactor: true,
      mayToggle: true,
      graceStartedAt: 5,
      updatedAt: 1,
    });
    expect(await store.getUserSettings('u-may-not')).toEqual({
      userId: 'u-may-not',
      useTwoFactor: null,
      mayToggle: false,
      updatedAt: 2,
    });
    // An upgraded row takes the new fields, and its user starts at epoch 0.
    expect(
      await store.updateUserSettings('u-may-not', { mayToggle: null, enrollmentResetAt: 7 }, { now: 8 }),
    ).toEqual({
      userId: 'u-may-not',
      useTwoFactor: null,
      mayToggle: null,
      enrollmentResetAt: 7,
      updatedAt: 8,
    });
    expect(await store.getSessionEpoch('u-may-not')).toBe(0);
    expect(await store.bumpSessionEpoch('u-may-not')).toBe(1);
    const { rows } = await sql.query(
      `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE conrelid = $1::regclass AND contype = 'c'`,
      [t.sessionEpochs],
    );
    expect(rows).toEqual([{ conname: 'session_epochs_epoch', def: 'CHECK ((epoch >= 1))' }]);
  });

  it('version 6 adds tenant_settings to a version-5 database with rows: the rows stay, tenants start with none', async () => {
    const schema = randomSchema();
    const t = tableNames(schema);
    const store = PostgresStore.fromPGlite(db, { schema });
    expect(await runMigrations(sql, t, MIGRATIONS.slice(0, 5))).toEqual({
      applied: [1, 2, 3, 4, 5],
      version: 5,
    });
    await sql.query(
      `INSERT INTO ${t.userSettings} (user_id, tenant_id, use_two_factor, may_toggle, updated_at)
       VALUES ('u-1', 'acme', true, NULL, 1)`,
      [],
    );
    await sql.query(`INSERT INTO ${t.sessionEpochs} (user_id, epoch) VALUES ('u-1', 3)`, []);
    expect(await store.migrate()).toEqual({
      applied: MIGRATIONS.slice(5).map((m) => m.version),
      version: LATEST,
    });
    expect(await store.getUserSettings('u-1')).toEqual({
      userId: 'u-1',
      tenantId: 'acme',
      useTwoFactor: true,
      mayToggle: null,
      updatedAt: 1,
    });
    expect(await store.getSessionEpoch('u-1')).toBe(3);
    expect(await store.getTenantSettings('acme')).toBeNull();
    const settings = { tenantId: 'acme', smtpCiphertext: `sf1.k1.${'A'.repeat(60)}`, updatedAt: 2 };
    await store.putTenantSettings(settings);
    expect(await store.getTenantSettings('acme')).toEqual(settings);
    const { rows } = await sql.query(
      `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE conrelid = $1::regclass AND contype IN ('c', 'p') ORDER BY conname`,
      [t.tenantSettings],
    );
    expect(rows).toEqual([
      { conname: 'tenant_settings_pkey', def: 'PRIMARY KEY (tenant_id)' },
      { conname: 'tenant_settings_sealed', def: "CHECK ((smtp_ciphertext ~ '^sf[0-9]+\\.'::text))" },
    ]);
  });

  it('version 7 adds switched_off_at to a version-6 database with credentials: each reads back switched on, and is found by its address', async () => {
    const schema = randomSchema();
    const t = tableNames(schema);
    const store = PostgresStore.fromPGlite(db, { schema });
    expect(await runMigrations(sql, t, MIGRATIONS.slice(0, 6))).toEqual({
      applied: [1, 2, 3, 4, 5, 6],
      version: 6,
    });
    await sql.query(
      `INSERT INTO ${t.credentials} (id, user_id, tenant_id, kind, label, address, created_at)
       VALUES ('c-sms', 'u-1', 'acme', 'sms', 'Phone', '+15555550100', 1),
              ('c-mail', 'u-2', NULL, 'email', 'Mail', 'a@example.org', 2)`,
      [],
    );
    expect(await store.migrate()).toEqual({ applied: [7], version: LATEST });
    const sms = {
      id: 'c-sms',
      userId: 'u-1',
      tenantId: 'acme',
      kind: 'sms',
      label: 'Phone',
      address: '+15555550100',
      createdAt: 1,
    };
    expect(await store.getCredential('u-1', 'c-sms')).toEqual(sms);
    expect(await store.getTwoFactorSummaries(['u-1'])).toEqual([
      { userId: 'u-1', methods: ['sms'], credentials: 1, backupCodesRemaining: 0 },
    ]);
    // Credentials stored before version 7 are found at once: the index covers the existing rows.
    expect(await store.listAddressHolders({ tenantId: 'acme', address: '+15555550100' })).toEqual([
      { userId: 'u-1', tenantId: 'acme', credentialId: 'c-sms', kind: 'sms' },
    ]);
    expect(await store.listAddressHolders({ address: 'a@example.org' })).toEqual([
      { userId: 'u-2', credentialId: 'c-mail', kind: 'email' },
    ]);
    expect(await store.switchCredential('u-1', 'c-sms', 3)).toBe(true);
    expect(await store.getCredential('u-1', 'c-sms')).toEqual({ ...sms, switchedOffAt: 3 });
    const { rows } = await sql.query(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'credentials_tenant_address'`,
      [schema],
    );
    expect(String(rows[0]?.indexdef).replaceAll(`${schema}.`, '')).toBe(
      'CREATE INDEX credentials_tenant_address ON credentials USING btree (tenant_id, address) WHERE (address IS NOT NULL)',
    );
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

  it('version 2 converts the digests of a version-1 database with rows in place; every record reads back identical', async () => {
    const schema = fresh();
    const server = pool();
    await migratesDigestsInPlace(pgClient(server), PostgresStore.fromPg(server, { schema }), schema);
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
