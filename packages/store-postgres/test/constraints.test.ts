/**
 * The schema enforces the invariants itself: even SQL that bypasses the adapter cannot store a secret in
 * clear, a code instead of a digest, an unknown kind, or change the audit log.
 */
import { randomBytes } from 'node:crypto';
import { randomDigest } from '@secondfactor/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/index';
import { newPGlite, pgliteClient } from './helpers';

const db = newPGlite();
const sql = pgliteClient(db);
const store = PostgresStore.fromPGlite(db, { schema: 'sf' });
const now = 1_700_000_000_000;
const sealed = `sf1.k1.${randomBytes(48).toString('base64url')}`;

/** The SQLSTATE a statement fails with, or 'ok'. */
async function outcome(text: string, params: unknown[] = []): Promise<string> {
  try {
    await sql.query(text, params);
    return 'ok';
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
}

beforeAll(() => store.migrate());
afterAll(() => db.close());

const CHECK_VIOLATION = '23514';
const UNIQUE_VIOLATION = '23505';
const credential = (
  id: string,
  kind: string,
  secret: string | null,
  period: number | null = 30,
): Promise<string> =>
  outcome(
    `INSERT INTO sf.credentials (id, user_id, kind, label, secret_ciphertext, algorithm, digits, period, created_at)
     VALUES ($1, 'u', $2, 'x', $3, $4, $5, $6, 0)`,
    [
      id,
      kind,
      secret,
      secret === null ? null : 'SHA1',
      secret === null ? null : 6,
      secret === null ? null : period,
    ],
  );

describe('constraints', () => {
  it('positive control: a well-formed row is accepted', async () => {
    expect(await credential('c-ok', 'totp', sealed)).toBe('ok');
  });

  it('B6: a Base32 secret in clear cannot be stored as a credential or pending secret', async () => {
    expect(await credential('c-plain', 'totp', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe(CHECK_VIOLATION);
    expect(
      await outcome(
        `INSERT INTO sf.pending_enrollments (id, user_id, kind, label, secret_ciphertext, algorithm, digits, period, created_at, expires_at)
         VALUES ('p-plain', 'u', 'totp', 'x', 'JBSWY3DPEHPK3PXP', 'SHA1', 6, 30, 0, 1)`,
      ),
    ).toBe(CHECK_VIOLATION);
  });

  it('B6: SMTP settings in clear cannot be stored as a tenant’s smtp_ciphertext', async () => {
    const tenant = (id: string, smtp: string | null): Promise<string> =>
      outcome(`INSERT INTO sf.tenant_settings (tenant_id, smtp_ciphertext, updated_at) VALUES ($1, $2, 0)`, [
        id,
        smtp,
      ]);
    expect(await tenant('t-ok', sealed)).toBe('ok');
    expect(await tenant('t-none', null)).toBe('ok');
    expect(await tenant('t-json', '{"host":"smtp.example.org","pass":"hunter2"}')).toBe(CHECK_VIOLATION);
    expect(await tenant('t-url', 'smtp://otp:hunter2@smtp.example.org:587')).toBe(CHECK_VIOLATION);
    expect(await tenant('t-ok', sealed)).toBe(UNIQUE_VIOLATION);
  });

  it('an OTP credential needs its secret fields, an out-of-band one must have none, and kinds are closed', async () => {
    expect(await credential('c-nosecret', 'totp', null)).toBe(CHECK_VIOLATION);
    expect(await credential('c-mail-secret', 'email', sealed)).toBe(CHECK_VIOLATION);
    expect(await credential('c-noperiod', 'totp', sealed, null)).toBe(CHECK_VIOLATION);
    expect(await credential('c-kind', 'carrier-pigeon', null)).toBe(CHECK_VIOLATION);
  });

  it('F2/G5: backup codes, challenges and trusted devices hold only digests of 16 to 64 bytes', async () => {
    await store.replaceBackupCodes('u-codes', { digests: [randomDigest()], now });
    const g = `(SELECT generation FROM sf.backup_code_sets WHERE user_id = 'u-codes')`;
    expect(await outcome(`INSERT INTO sf.backup_codes VALUES ('u-codes', '12345678', ${g})`)).toBe(
      CHECK_VIOLATION,
    );
    for (const bytes of [15, 65]) {
      const digest = randomBytes(bytes).toString('hex');
      expect(
        await outcome(`INSERT INTO sf.backup_codes VALUES ('u-codes', decode($1, 'hex'), ${g})`, [digest]),
      ).toBe(CHECK_VIOLATION);
    }
    for (const bytes of [16, 32, 64]) {
      const digest = randomBytes(bytes).toString('hex');
      expect(
        await outcome(`INSERT INTO sf.backup_codes VALUES ('u-codes', decode($1, 'hex'), ${g})`, [digest]),
      ).toBe('ok');
    }
    expect(
      await outcome(
        `INSERT INTO sf.challenges (id, user_id, kind, purpose, digest, created_at, expires_at, attempts, max_attempts, deliveries)
         VALUES ('ch', 'u', 'sms', 'login', '493021', 0, 1, 0, 5, 1)`,
      ),
    ).toBe(CHECK_VIOLATION);
    expect(
      await outcome(
        `INSERT INTO sf.trusted_devices (id, user_id, digest, created_at, expires_at) VALUES ('d', 'u', 'token-in-clear', 0, 1)`,
      ),
    ).toBe(CHECK_VIOLATION);
  });

  it('F4: a code row belongs to a set; a digest appears once per set', async () => {
    expect(
      await outcome(`INSERT INTO sf.backup_codes VALUES ('no-set', decode($1, 'hex'), 1)`, [randomDigest()]),
    ).toBe('23503');
    const d = randomDigest();
    await store.replaceBackupCodes('u-dup', { digests: [d], now });
    expect(
      await outcome(
        `INSERT INTO sf.backup_codes
         SELECT 'u-dup', decode($1, 'hex'), generation FROM sf.backup_code_sets WHERE user_id = 'u-dup'`,
        [d],
      ),
    ).toBe(UNIQUE_VIOLATION);
  });

  it('a user holds a trusted-device token digest once (the memory store refuses it too)', async () => {
    const d = randomDigest();
    await store.addTrustedDevice({
      id: 'dev-1',
      userId: 'u-dev',
      digest: d,
      createdAt: now,
      expiresAt: now + 1,
    });
    await expect(
      store.addTrustedDevice({ id: 'dev-2', userId: 'u-dev', digest: d, createdAt: now, expiresAt: now + 1 }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('H8: the audit log is append-only: UPDATE and DELETE of a row fail', async () => {
    await store.appendAudit({ id: 'evt-1', at: now, type: 'enrollment.confirmed', userId: 'u' });
    expect(await outcome(`UPDATE sf.audit_events SET type = 'nothing.happened' WHERE id = 'evt-1'`)).toBe(
      '42501',
    );
    expect(await outcome(`DELETE FROM sf.audit_events WHERE id = 'evt-1'`)).toBe('42501');
    expect(await store.listAudit({ userId: 'u' })).toEqual([
      { id: 'evt-1', at: now, type: 'enrollment.confirmed', userId: 'u' },
    ]);
  });

  it('the set count never goes below zero', async () => {
    await store.replaceBackupCodes('u-count', { digests: [randomDigest()], now });
    expect(await outcome(`UPDATE sf.backup_code_sets SET remaining = -1 WHERE user_id = 'u-count'`)).toBe(
      CHECK_VIOLATION,
    );
  });
});

describe('ids PostgreSQL cannot store exactly', () => {
  it('H3: ids with lone surrogates are refused, so two of them cannot collide into one row', async () => {
    // Both would reach the server as "\ufffdx" (a lone surrogate has no UTF-8 form).
    await expect(
      store.putUserSettings({ userId: '\ud800x', useTwoFactor: true, mayToggle: false, updatedAt: now }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(store.getUserSettings('\udc00x')).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(store.getTwoFactorSummaries(['ok', '\udc00x'])).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    // A surrogate pair (an emoji) is well-formed and round-trips.
    await store.putUserSettings({
      userId: 'user-😀',
      useTwoFactor: null,
      mayToggle: true,
      updatedAt: now,
    });
    expect((await store.getUserSettings('user-😀'))?.userId).toBe('user-😀');
  });
});
