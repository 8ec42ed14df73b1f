/**
 * The selfService product at the service level: 2FA off by default, switched on by the user with an
 * authenticator app, backup codes on enable, later logins with a code, a wrong code ("Otp invalid!"),
 * a backup code that works once, and the lockout after the attempts the settings allow.
 */
import { retryAfterMs } from '@secondfactor/service';
import { expect, it } from 'vitest';
import {
  appCode,
  asActor,
  describeEachStore,
  harness,
  newUser,
  otherCode,
  rejection,
  STEP_MS,
  suiteStore,
  testClock,
} from './fixtures';

describeEachStore('selfService story', (openStore) => {
  const store = suiteStore(openStore);
  it('enable 2FA, sign in with the app, a wrong code, a backup code, and the lockout (E1, E3, F3, H1)', async () => {
    const h = await harness({ store: store(), clock: testClock() });
    const user = newUser();
    const actor = asActor(user);

    // "By default, to log into the platform, the user specifies only an email and password."
    expect((await h.twoFactor.startLogin(user)).state).toBe('done');

    // "Click the Enable two-factor authentication link" → "Scan the QR code", or "Account name and Key".
    const setup = await h.twoFactor.beginEnrollment(actor, {
      method: 'totp',
      accountName: 'ada@example.org',
    });
    expect(setup.uri).toMatch(/^otpauth:\/\/totp\/Example:ada%40example\.org\?secret=[A-Z2-7]+&/);
    expect(setup.manualKey).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
    expect(setup.accountName).toBe('ada@example.org');
    // H1: nothing is active before the confirmation code.
    expect((await h.twoFactor.startLogin(user)).state).toBe('done');

    // "Enter the six-digit Confirmation code" — a wrong one first.
    const confirmCode = appCode(setup.manualKey, h.clock());
    const wrong = await rejection(
      h.twoFactor.confirmEnrollment(actor, {
        enrollmentId: setup.enrollmentId,
        code: otherCode(confirmCode),
      }),
    );
    expect([wrong.code, wrong.message]).toEqual(['otp_invalid', 'Otp invalid!']);

    // "Press Enable" → "the platform will generate a set of backup codes", confirmed as saved.
    const enabled = await h.twoFactor.confirmEnrollment(actor, {
      enrollmentId: setup.enrollmentId,
      code: confirmCode,
    });
    expect(enabled.backupCodes).toHaveLength(10);
    expect(enabled.backupCodesAcknowledgementRequired).toBe(true);
    const backupCodes = enabled.backupCodes ?? [];

    // The next login asks for the app's code, with backup codes as the fallback.
    const login = await h.twoFactor.startLogin(user);
    expect(login).toMatchObject({ state: 'challenge', methods: ['totp'], fallbackMethods: ['backup_code'] });
    const loginId = login.loginId ?? '';
    // The code that confirmed the set-up cannot also pass the login (D1: its step was recorded).
    const replay = await rejection(h.twoFactor.verifyLogin({ loginId, method: 'totp', code: confirmCode }));
    expect(replay.code).toBe('otp_replayed');

    h.clock.advance(STEP_MS);
    const code = appCode(setup.manualKey, h.clock());
    const bad = await rejection(h.twoFactor.verifyLogin({ loginId, method: 'totp', code: otherCode(code) }));
    expect([bad.code, bad.message]).toEqual(['otp_invalid', 'Otp invalid!']);
    const proof = await h.twoFactor.verifyLogin({ loginId, method: 'totp', code });
    expect(proof).toEqual({
      userId: user.id,
      method: 'totp',
      fallback: false,
      at: h.clock(),
      sessionEpoch: expect.any(Number),
    });
    expect(await h.twoFactor.isSessionCurrent(user.id, proof.sessionEpoch)).toBe(true);
    // I3: a pending login is single use.
    const again = await rejection(h.twoFactor.verifyLogin({ loginId, method: 'totp', code }));
    expect(again.code).toBe('challenge_expired');

    // "These codes can be entered when logging into the platform … Each backup code can only be used once."
    const first = await h.twoFactor.startLogin(user);
    const viaBackup = await h.twoFactor.verifyLogin({
      loginId: first.loginId ?? '',
      method: 'backup_code',
      code: backupCodes[0] ?? '',
    });
    expect(viaBackup).toMatchObject({
      userId: user.id,
      method: 'backup_code',
      fallback: true,
      backupCodesRemaining: 9,
    });
    const second = await h.twoFactor.startLogin(user);
    const reused = await rejection(
      h.twoFactor.verifyLogin({
        loginId: second.loginId ?? '',
        method: 'backup_code',
        code: backupCodes[0] ?? '',
      }),
    );
    expect([reused.code, reused.message]).toEqual(['otp_invalid', 'Otp invalid!']);

    // "The number of attempts to enter … one-time code is set in the authentication settings": 5 here;
    // the reused backup code above was the first failure (F10: one budget for every method).
    const attempts = await h.twoFactor.startLogin(user);
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const error = await rejection(
        h.twoFactor.verifyLogin({ loginId: attempts.loginId ?? '', method: 'totp', code: otherCode(code) }),
      );
      outcomes.push(error.code);
    }
    expect(outcomes).toEqual(['otp_invalid', 'otp_invalid', 'otp_invalid', 'locked_out']);

    // E1, E3: a new login does not reset the count, and the right code is refused while locked.
    h.clock.advance(STEP_MS);
    const fresh = await h.twoFactor.startLogin(user);
    const locked = await rejection(
      h.twoFactor.verifyLogin({
        loginId: fresh.loginId ?? '',
        method: 'totp',
        code: appCode(setup.manualKey, h.clock()),
      }),
    );
    expect(locked.code).toBe('locked_out');
    const wait = retryAfterMs(locked) ?? 0;
    expect(wait).toBeGreaterThan(0);
    const backupLocked = await rejection(
      h.twoFactor.verifyLogin({
        loginId: fresh.loginId ?? '',
        method: 'backup_code',
        code: backupCodes[1] ?? '',
      }),
    );
    expect(backupLocked.code).toBe('locked_out');

    // Once the lock ends, the right code passes.
    h.clock.advance(wait);
    const later = await h.twoFactor.startLogin(user);
    const passed = await h.twoFactor.verifyLogin({
      loginId: later.loginId ?? '',
      method: 'totp',
      code: appCode(setup.manualKey, h.clock()),
    });
    expect(passed.method).toBe('totp');
  });
});
