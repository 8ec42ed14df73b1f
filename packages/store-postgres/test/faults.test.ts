/**
 * Faults: a database that cannot be reached, a connection killed between calls, and a connection killed
 * in the middle of a statement that had already written. Every failure is a clean
 * `SecondFactorError('store_unavailable')`, and the state the next connection sees is consistent: a
 * statement is committed whole or not at all.
 */
import { randomBytes } from 'node:crypto';
import { isSecondFactorError } from '@secondfactor/core';
import {
  emailChallenge,
  fakeCiphertext,
  freshId,
  randomDigest,
  totpCredential,
} from '@secondfactor/store/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, PostgresStore, type SqlClient } from '../src/index';
import {
  DATABASE_URL,
  dropSchema,
  newPGlite,
  pgClient,
  randomSchema,
  SERVER_SKIP,
  serverPool,
} from './helpers';

const now = 1_700_000_000_000;

/** What `promise` rejects with (undefined if it resolves), with the handler attached at once. */
const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );

function assertUnavailable(error: unknown, secrets: readonly string[] = []): void {
  expect(isSecondFactorError(error), `expected SecondFactorError, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe('store_unavailable');
  // J3: neither the message, the stack nor the cause repeats a digest or sealed secret of the call.
  const text = `${(error as Error).message} ${(error as Error).stack} ${String((error as Error).cause)}`;
  for (const secret of secrets) expect(text).not.toContain(secret);
}

async function expectUnavailable(promise: Promise<unknown>, secrets: readonly string[] = []): Promise<void> {
  assertUnavailable(await failureOf(promise), secrets);
}

describe('a database that cannot be used', () => {
  it('an unreachable server: every call fails with store_unavailable as a rejected promise', async () => {
    // Port 1 on loopback refuses connections at once.
    const pool = new pg.Pool({
      connectionString: 'postgres://nobody@127.0.0.1:1/none',
      connectionTimeoutMillis: 2_000,
    });
    pool.on('error', () => undefined);
    const store = PostgresStore.fromPg(pool, { schema: 'unreachable' });
    const code = randomDigest();
    await expectUnavailable(store.consumeBackupCode('user-1', code), [code]);
    await expectUnavailable(store.recordOtpUse('user-1', 'cred-1', { step: 1, now }));
    await expectUnavailable(store.migrate());
    await pool.end();
  });

  it('a closed PGlite database: calls fail with store_unavailable', async () => {
    const db = newPGlite();
    const store = PostgresStore.fromPGlite(db);
    await store.migrate();
    await db.close();
    await expectUnavailable(store.getFailures('key', { now }));
    await expectUnavailable(store.migrate());
  });

  it('a schema that was never migrated: store_unavailable that asks for migrate()', async () => {
    const db = newPGlite();
    const store = PostgresStore.fromPGlite(db, { schema: 'never_migrated' });
    const error = await store.getUserSettings('user-1').catch((reason: unknown) => reason);
    expect((error as { code: string }).code).toBe('store_unavailable');
    expect((error as Error).message).toMatch(/migrate\(\)/);
    await db.close();
  });
});

describe.skipIf(SERVER_SKIP !== undefined)('connections lost on a PostgreSQL server', () => {
  const schema = randomSchema();
  let admin: pg.Pool;
  let check: PostgresStore;

  /** A store on a connection of its own, and that connection's backend pid. */
  async function victim(): Promise<{ store: PostgresStore; pid: number; client: pg.Client }> {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    client.on('error', () => undefined);
    await client.connect();
    const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
    return { store: PostgresStore.fromPg(client, { schema }), pid: Number(rows[0].pid), client };
  }
  const kill = async (pid: number): Promise<void> => {
    // The second argument waits until the backend is gone.
    await admin.query('SELECT pg_terminate_backend($1, 10000)', [pid]);
  };
  /** Waits until `pid` is blocked on a row lock after having written (it holds a transaction id). */
  async function blockedAfterWriting(pid: number): Promise<void> {
    for (let tries = 0; tries < 500; tries++) {
      const { rows } = await admin.query(
        `SELECT wait_event_type, backend_xid IS NOT NULL AS wrote FROM pg_stat_activity WHERE pid = $1`,
        [pid],
      );
      if (rows[0]?.wait_event_type === 'Lock' && rows[0]?.wrote === true) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`backend ${pid} never blocked on a lock after writing`);
  }
  /** A transaction on another connection holding `FOR UPDATE` on the rows `select` returns. */
  async function lockRows(select: string, params: unknown[]): Promise<{ release(): Promise<void> }> {
    const blocker = await admin.connect();
    await blocker.query('BEGIN');
    const { rowCount } = await blocker.query(`${select} FOR UPDATE`, params);
    expect(rowCount).toBeGreaterThan(0);
    return {
      release: async () => {
        await blocker.query('ROLLBACK');
        blocker.release();
      },
    };
  }

  beforeAll(async () => {
    admin = serverPool();
    check = PostgresStore.fromPg(admin, { schema });
    await check.migrate();
  });
  afterAll(async () => {
    await dropSchema(pgClient(admin), schema);
    await admin.end();
  });

  it('killed between calls: the next call fails with store_unavailable; a new connection sees every committed write', async () => {
    const { store, pid, client } = await victim();
    const userId = freshId('user');
    const digests = Array.from({ length: 5 }, randomDigest);
    await store.replaceBackupCodes(userId, { digests, now });
    expect(await store.consumeBackupCode(userId, digests[0]!)).toEqual({ consumed: true, remaining: 4 });
    await kill(pid);
    await expectUnavailable(store.consumeBackupCode(userId, digests[1]!), [digests[1]!]);
    await expectUnavailable(store.getBackupCodeSet(userId));
    expect(await check.consumeBackupCode(userId, digests[0]!)).toEqual({
      consumed: false,
      remaining: 4,
    });
    expect(await check.consumeBackupCode(userId, digests[1]!)).toEqual({ consumed: true, remaining: 3 });
    await client.end().catch(() => undefined);
  });

  it('a pool whose connections were all killed: each call fails cleanly or succeeds, and the state stays consistent', async () => {
    const application = `sf_fault_${randomBytes(4).toString('hex')}`;
    const pool = serverPool({ application_name: application, max: 4 });
    const store = PostgresStore.fromPg(pool, { schema });
    const credential = totpCredential(freshId('user'), now);
    await store.addCredential(credential);
    await Promise.all(
      [1, 2, 3, 4].map((step) => store.getCredential(credential.userId, credential.id).then(() => step)),
    );
    await admin.query(
      'SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE application_name = $1',
      [application],
    );
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        store.recordOtpUse(credential.userId, credential.id, { step: 77, now }),
      ),
    );
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected')
        expect((outcome.reason as { code: string }).code).toBe('store_unavailable');
    }
    const successes = outcomes.filter(
      (outcome) => outcome.status === 'fulfilled' && outcome.value === true,
    ).length;
    expect(successes).toBeLessThanOrEqual(1);
    // Committed whole or not at all: a retry records step 77 unless a call already did (even one whose
    // answer was lost with its connection), in which case it is refused as a replay.
    const after = await check.getCredential(credential.userId, credential.id);
    if (successes === 1) expect(after?.lastUsedStep).toBe(77);
    expect(await store.recordOtpUse(credential.userId, credential.id, { step: 77, now })).toBe(
      after?.lastUsedStep !== 77,
    );
    expect((await check.getCredential(credential.userId, credential.id))?.lastUsedStep).toBe(77);
    await pool.end();
  });

  it('an ended pool: store_unavailable', async () => {
    const pool = serverPool();
    const store = PostgresStore.fromPg(pool, { schema });
    await store.getFailures('key', { now });
    await pool.end();
    await expectUnavailable(store.getFailures('key', { now }));
    await expectUnavailable(store.migrate());
  });

  it('H1: confirmEnrollment killed after it moved the pending row and before it removed the replaced credential leaves everything as before', async () => {
    const userId = freshId('user');
    const old = totpCredential(userId, now);
    await check.addCredential(old);
    const pendingId = freshId('pend');
    await check.createPendingEnrollment({
      id: pendingId,
      userId,
      kind: 'totp',
      label: 'New phone',
      otp: { secretCiphertext: fakeCiphertext(), algorithm: 'SHA1', digits: 6, period: 30 },
      createdAt: now,
      expiresAt: now + 600_000,
    });
    const lock = await lockRows(`SELECT 1 FROM "${schema}".credentials WHERE id = $1`, [old.id]);
    const { store, pid } = await victim();
    const confirming = failureOf(
      store.confirmEnrollment(userId, pendingId, { now, replaces: [old.id], lastUsedStep: 5 }),
    );
    await blockedAfterWriting(pid);
    await kill(pid);
    assertUnavailable(await confirming);
    await lock.release();
    expect(await check.getPendingEnrollment(userId, pendingId, { now })).not.toBeNull();
    expect(await check.getCredential(userId, pendingId)).toBeNull();
    expect(await check.getCredential(userId, old.id)).toEqual(old);
    const retried = await check.confirmEnrollment(userId, pendingId, { now, replaces: [old.id] });
    expect(retried.status).toBe('ok');
    expect((await check.listCredentials(userId)).map((item) => item.id)).toEqual([pendingId]);
  });

  it('F4: replaceBackupCodes killed after it started the new set and before it retired the old codes leaves the old set working', async () => {
    const userId = freshId('user');
    const old = Array.from({ length: 4 }, randomDigest);
    const next = Array.from({ length: 4 }, randomDigest);
    await check.replaceBackupCodes(userId, { digests: old, now });
    const lock = await lockRows(
      `SELECT 1 FROM "${schema}".backup_codes WHERE user_id = $1 AND digest = decode($2, 'hex')`,
      [userId, old[2]],
    );
    const { store, pid } = await victim();
    const replacing = failureOf(store.replaceBackupCodes(userId, { digests: next, now: now + 1 }));
    await blockedAfterWriting(pid);
    await kill(pid);
    assertUnavailable(await replacing, next);
    await lock.release();
    expect(await check.getBackupCodeSet(userId)).toEqual({ remaining: 4, createdAt: now });
    expect((await check.consumeBackupCode(userId, next[0]!)).consumed).toBe(false);
    expect(await check.consumeBackupCode(userId, old[0]!)).toEqual({ consumed: true, remaining: 3 });
  });

  it('resetUser killed after some of its deletes leaves every record of the user in place', async () => {
    const userId = freshId('user');
    const credential = totpCredential(userId, now);
    await check.addCredential(credential);
    await check.replaceBackupCodes(userId, { digests: [randomDigest(), randomDigest()], now });
    const challengeId = freshId('chal');
    await check.createChallenge(emailChallenge(userId, now, randomDigest(), { id: challengeId }));
    const lock = await lockRows(`SELECT 1 FROM "${schema}".challenges WHERE id = $1`, [challengeId]);
    const { store, pid } = await victim();
    const resetting = failureOf(store.resetUser(userId));
    await blockedAfterWriting(pid);
    await kill(pid);
    assertUnavailable(await resetting);
    await lock.release();
    expect(await check.getCredential(userId, credential.id)).toEqual(credential);
    expect((await check.getBackupCodeSet(userId))?.remaining).toBe(2);
    expect(await check.getChallenge(userId, challengeId)).not.toBeNull();
    expect(await check.resetUser(userId)).toEqual({
      credentials: 1,
      backupCodes: 2,
      pendingEnrollments: 0,
      trustedDevices: 0,
      challenges: 1,
    });
  });

  it('a migration killed halfway leaves no table, no version and no schema; the next migrate() applies it', async () => {
    const fresh = randomSchema();
    const { pid, client } = await victim();
    const inner = pgClient(client);
    let created = 0;
    // Kills its own connection after the third CREATE TABLE of the migration, inside its transaction.
    const killing: SqlClient = {
      query: (text, params) => inner.query(text, params),
      transaction: (fn) =>
        inner.transaction((tx) =>
          fn({
            query: async (text, params) => {
              const result = await tx.query(text, params);
              if (/^\s*CREATE TABLE "/.test(text) && ++created === 3) await kill(pid);
              return result;
            },
          }),
        ),
    };
    await expectUnavailable(new PostgresStore(killing, { schema: fresh }).migrate());
    expect(created).toBe(3);
    const { rows } = await admin.query('SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1', [
      fresh,
    ]);
    expect(rows[0].n).toBe(0);
    const again = PostgresStore.fromPg(admin, { schema: fresh });
    expect((await again.migrate()).applied).toEqual(MIGRATIONS.map((m) => m.version));
    await dropSchema(pgClient(admin), fresh);
  });
});
