/**
 * Races through the service (checklist D3, D4, H1): many concurrent calls with one right code give
 * exactly one success, on every store.
 */
import { describe, expect, it } from 'vitest';
import { appCode, asActor, enrolled, harness, newUser, STEP_MS, STORES } from './fixtures';

const N = 50;

async function settle<T>(calls: Promise<T>[]) {
  const results = await Promise.allSettled(calls);
  return {
    ok: results.filter((r) => r.status === 'fulfilled').length,
    errors: results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code: string }).code] : [])),
  };
}

describe.each(STORES)('concurrency on %s', (_name, openStore) => {
  it(`D3: ${N} concurrent verifyLogin of one pending login with one TOTP code: exactly one success`, async () => {
    const h = await harness({ store: await openStore() });
    const { user, manualKey } = await enrolled(h);
    h.clock.advance(STEP_MS);
    const { loginId } = await h.twoFactor.startLogin(user);
    const code = appCode(manualKey, h.clock());
    const { ok, errors } = await settle(
      Array.from({ length: N }, () =>
        h.twoFactor.verifyLogin({ loginId: loginId ?? '', method: 'totp', code }),
      ),
    );
    expect(ok).toBe(1);
    expect(new Set(errors)).toEqual(new Set(['otp_replayed']));
    await h.store.close();
  });

  it(`D3, E2: ${N} concurrent logins of one user with one TOTP code: exactly one success`, async () => {
    const h = await harness({ store: await openStore() });
    const { user, manualKey } = await enrolled(h);
    h.clock.advance(STEP_MS);
    const logins = await Promise.all(Array.from({ length: N }, () => h.twoFactor.startLogin(user)));
    const code = appCode(manualKey, h.clock());
    const { ok, errors } = await settle(
      logins.map(({ loginId }) => h.twoFactor.verifyLogin({ loginId: loginId ?? '', method: 'totp', code })),
    );
    expect(ok).toBe(1);
    expect(new Set(errors)).toEqual(new Set(['otp_replayed']));
    await h.store.close();
  });

  it(`D4, F9: ${N} concurrent verifyLogin with one backup code: exactly one success, one code used`, async () => {
    const h = await harness({ store: await openStore() });
    const { user, backupCodes } = await enrolled(h);
    const logins = await Promise.all(Array.from({ length: N }, () => h.twoFactor.startLogin(user)));
    const { ok, errors } = await settle(
      logins.map(({ loginId }) =>
        h.twoFactor.verifyLogin({
          loginId: loginId ?? '',
          method: 'backup_code',
          code: backupCodes[0] ?? '',
        }),
      ),
    );
    expect(ok).toBe(1);
    expect(errors.every((code) => code === 'otp_invalid' || code === 'locked_out')).toBe(true);
    expect((await h.store.getBackupCodeSet(user.id))?.remaining).toBe(9);
    await h.store.close();
  });

  it(`H1: ${N} concurrent confirmEnrollment with one code: exactly one device, one backup-code set`, async () => {
    const h = await harness({ store: await openStore() });
    const user = newUser();
    const start = await h.twoFactor.beginEnrollment(asActor(user), { method: 'totp' });
    const code = appCode(start.manualKey, h.clock());
    const results = await Promise.allSettled(
      Array.from({ length: N }, () =>
        h.twoFactor.confirmEnrollment(asActor(user), { enrollmentId: start.enrollmentId, code }),
      ),
    );
    const confirmed = results.filter((r) => r.status === 'fulfilled');
    expect(confirmed).toHaveLength(1);
    expect(await h.store.listCredentials(user.id)).toHaveLength(1);
    expect((await h.store.getBackupCodeSet(user.id))?.remaining).toBe(10);
    await h.store.close();
  });
});
