/**
 * The raw dump the conformance suite inspects (`dumpSchema`) still shows what a `bytea` digest column
 * holds: a digest as the contract's hex (the suite's positive control), and a code or token written into
 * the column as its own bytes in clear (what the F2/G5 checks look for).
 */
import { randomDigest } from '@secondfactor/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/index';
import { dumpSchema, newPGlite, pgliteClient } from './helpers';

const db = newPGlite();
const sql = pgliteClient(db);
const store = PostgresStore.fromPGlite(db, { schema: 'sf_dump' });
const now = 1_700_000_000_000;

beforeAll(() => store.migrate());
afterAll(() => db.close());

describe('dumpSchema over bytea digests', () => {
  it('shows a stored digest as its lowercase hex', async () => {
    const digest = randomDigest();
    await store.replaceBackupCodes('u-hex', { digests: [digest], now });
    expect(await dumpSchema(sql, 'sf_dump')).toContain(digest);
  });

  it('F2/G5: a code or token planted in clear in any digest column is found in the dump', async () => {
    // 16 bytes or more, so the length check lets them in: the dump must be what catches them.
    const code = 'code 48213-90577 in clear';
    const otp = 'otp 73915046 sent in clear';
    const token = 'device-token-5f0e1c9a in clear';
    await store.replaceBackupCodes('u-plant', { digests: [randomDigest()], now });
    await sql.query(
      `INSERT INTO sf_dump.backup_codes SELECT 'u-plant', convert_to($1, 'UTF8'), generation
       FROM sf_dump.backup_code_sets WHERE user_id = 'u-plant'`,
      [code],
    );
    await sql.query(
      `INSERT INTO sf_dump.challenges (id, user_id, kind, purpose, digest, created_at, expires_at, attempts, max_attempts, deliveries)
       VALUES ('ch-plant', 'u-plant', 'sms', 'login', convert_to($1, 'UTF8'), 0, 1, 0, 5, 1)`,
      [otp],
    );
    await sql.query(
      `INSERT INTO sf_dump.trusted_devices (id, user_id, digest, created_at, expires_at)
       VALUES ('dev-plant', 'u-plant', convert_to($1, 'UTF8'), 0, 1)`,
      [token],
    );
    const dump = await dumpSchema(sql, 'sf_dump');
    // The suite's own test for a numeric code: digits standing alone, not inside a longer run.
    expect(/(?<![0-9])48213-90577(?![0-9])/.test(dump)).toBe(true);
    expect(/(?<![0-9])73915046(?![0-9])/.test(dump)).toBe(true);
    expect(dump).toContain('device-token-5f0e1c9a');
  });
});
