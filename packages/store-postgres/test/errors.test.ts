/**
 * Driver errors become SecondFactorError with a stable code, and nothing of the statement, its
 * parameters or the conflicting key survives in the message or the cause (checklist J3).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeError } from '../src/errors';
import { PostgresStore } from '../src/index';
import { newPGlite } from './helpers';

const db = newPGlite();
const store = PostgresStore.fromPGlite(db, { schema: 'sf' });
beforeAll(() => store.migrate());
afterAll(() => db.close());

const serverError = (code: string, extra: object = {}): Error =>
  Object.assign(new Error('server says no'), { code, severity: 'ERROR', ...extra });

describe('storeError', () => {
  it('maps SQLSTATE classes and driver failures to codes', () => {
    expect(storeError('op', serverError('23505')).code).toBe('conflict');
    expect(storeError('op', serverError('42P01')).code).toBe('store_unavailable');
    expect(storeError('op', serverError('57P01')).code).toBe('store_unavailable');
    expect(storeError('op', serverError('08006')).code).toBe('store_unavailable');
    expect(storeError('op', serverError('40P01')).code).toBe('store_unavailable');
    expect(storeError('op', serverError('42601')).code).toBe('internal');
    expect(storeError('op', serverError('22P02')).code).toBe('internal');
    expect(storeError('op', new Error('Connection terminated unexpectedly')).code).toBe('store_unavailable');
    // A Node socket error has a string code but no severity: not mistaken for a SQLSTATE.
    expect(storeError('op', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })).code).toBe(
      'store_unavailable',
    );
  });

  it('J3: keeps only the SQLSTATE and constraint name of a server error, never its detail, query or parameters', () => {
    const secret = randomBytes(32).toString('hex');
    const error = storeError(
      'consumeBackupCode',
      serverError('23505', {
        message: `duplicate key value (digest)=(${secret})`,
        detail: `Key (user_id, digest)=(u, ${secret}) already exists.`,
        constraint: 'backup_codes_pkey',
        query: `SELECT '${secret}'`,
        params: [secret],
      }),
    );
    expect(String(error.cause)).toBe('Error: SQLSTATE 23505 (backup_codes_pkey)');
    expect(JSON.stringify(error) + error.message + String(error.stack)).not.toContain(secret);
  });

  it('J3: a real unique violation on a digest comes back as conflict without the digest', async () => {
    const digest = randomBytes(32).toString('hex');
    const device = { id: 'dev-1', userId: 'u', digest, createdAt: 0, expiresAt: 1 };
    await store.addTrustedDevice(device);
    const error = (await store.addTrustedDevice({ ...device, id: 'dev-2' }).then(
      () => undefined,
      (reason: unknown) => reason,
    )) as Error;
    expect(error).toMatchObject({ code: 'conflict' });
    expect(`${error.message} ${String(error.cause)} ${error.stack}`).not.toContain(digest);
  });
});
