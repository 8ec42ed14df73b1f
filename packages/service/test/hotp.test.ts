/**
 * HOTP logins (RFC 4226), where the policy allows `hotp`: a counter device (imported, since set-ups are
 * TOTP) answers a login with the next code of its counter, within the policy's look-ahead (C6); a match
 * at counter c records c, so no code up to c passes again (C4, C5), also when several logins race one
 * code (D3). Codes come from otpauth, an independent implementation. A method the login did not offer is
 * refused with its own error code, `method_not_allowed` (K3, I6).
 */
import { selfService } from '@secondfactor/policy';
import { DEFAULT_MESSAGES } from '@secondfactor/service';
import { MemoryStore } from '@secondfactor/store';
import { HOTP, Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import {
  appCode,
  asActor,
  describeEachStore,
  enrolled,
  type Harness,
  harness,
  newUser,
  rejection,
  STEP_MS,
  suiteStore,
  testClock,
} from './fixtures';
import { selfServiceWithHotp, serviceOver } from './service-helpers';

type User = { id: string; roles: string[] };

/** An HOTP token of `user` with a fresh secret, imported with `lastUsedStep` when given. */
async function hotpDevice(h: Harness, user: User, lastUsedStep?: number) {
  const secret = new Secret({ size: 20 });
  const { credentialId } = await h.twoFactor.importCredential(asActor(user), {
    method: 'hotp',
    secret: secret.base32,
    label: 'Key fob',
    ...(lastUsedStep === undefined ? {} : { lastUsedStep }),
  });
  return { credentialId, code: (counter: number) => HOTP.generate({ secret, counter }) };
}

/** A new login of `user` answered with `code` for `method`. */
async function answer(h: Harness, user: User, method: 'totp' | 'hotp', code: string) {
  const start = await h.twoFactor.startLogin(user);
  return h.twoFactor.verifyLogin({ loginId: start.loginId ?? '', method, code });
}

/** Which of `attempts` passed, and the error code of each one that did not. */
async function outcomes(attempts: Promise<unknown>[]): Promise<string[]> {
  const settled = await Promise.allSettled(attempts);
  return settled.map((s) =>
    s.status === 'fulfilled' ? 'ok' : String((s.reason as { code?: unknown }).code ?? s.reason),
  );
}

describeEachStore('HOTP logins', (openStore) => {
  const store = suiteStore(openStore);

  it('C4, C5: a match at counter c is recorded; c and every earlier code fail afterwards, c+1 passes', async () => {
    const h = await harness({ store: store(), policy: selfServiceWithHotp, clock: testClock() });
    const user = newUser();
    const fob = await hotpDevice(h, user);
    const start = await h.twoFactor.startLogin(user);
    expect(start).toMatchObject({
      state: 'challenge',
      methods: ['hotp'],
      devices: [{ id: fob.credentialId, method: 'hotp', label: 'Key fob' }],
    });
    const proof = await h.twoFactor.verifyLogin({
      loginId: start.loginId ?? '',
      method: 'hotp',
      code: fob.code(0),
    });
    expect(proof).toMatchObject({ userId: user.id, method: 'hotp', fallback: false });
    expect((await h.store.getCredential(user.id, fob.credentialId))?.lastUsedStep).toBe(0);

    expect((await rejection(answer(h, user, 'hotp', fob.code(0)))).code).toBe('otp_invalid');
    expect((await answer(h, user, 'hotp', fob.code(1))).method).toBe('hotp');
    expect((await rejection(answer(h, user, 'hotp', fob.code(0)))).code).toBe('otp_invalid');
    expect((await rejection(answer(h, user, 'hotp', fob.code(1)))).code).toBe('otp_invalid');
  });

  it("C6: the look-ahead is the policy's (2 by default): c+3 passes after c, c+4 does not; the skipped codes are spent", async () => {
    const h = await harness({ store: store(), policy: selfServiceWithHotp, clock: testClock() });
    const user = newUser();
    const fob = await hotpDevice(h, user, 10);
    expect((await rejection(answer(h, user, 'hotp', fob.code(14)))).code).toBe('otp_invalid');
    expect((await answer(h, user, 'hotp', fob.code(13))).method).toBe('hotp');
    expect((await h.store.getCredential(user.id, fob.credentialId))?.lastUsedStep).toBe(13);
    for (const skipped of [11, 12]) {
      expect((await rejection(answer(h, user, 'hotp', fob.code(skipped)))).code).toBe('otp_invalid');
    }

    const wider = await harness({
      store: store(),
      policy: { ...selfServiceWithHotp, otp: { ...selfService.otp, hotpLookAhead: 4 } },
      clock: testClock(),
    });
    const other = newUser();
    const key = await hotpDevice(wider, other, 10);
    expect((await answer(wider, other, 'hotp', key.code(15))).method).toBe('hotp');
  });

  it('D3: one HOTP code submitted to several logins at once passes exactly once', async () => {
    const h = await harness({ store: store(), policy: selfServiceWithHotp, clock: testClock() });
    const user = newUser();
    const fob = await hotpDevice(h, user);
    const logins = await Promise.all(Array.from({ length: 6 }, () => h.twoFactor.startLogin(user)));
    const results = await outcomes(
      logins.map((login) =>
        h.twoFactor.verifyLogin({ loginId: login.loginId ?? '', method: 'hotp', code: fob.code(0) }),
      ),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r !== 'ok' && r !== 'otp_replayed' && r !== 'otp_invalid')).toEqual([]);
    expect((await h.store.getCredential(user.id, fob.credentialId))?.lastUsedStep).toBe(0);
  });

  it('E1: wrong HOTP codes count toward the lock like any other code; the right one is refused while locked', async () => {
    const h = await harness({ store: store(), policy: selfServiceWithHotp, clock: testClock() });
    const user = newUser();
    const fob = await hotpDevice(h, user, 100);
    const start = await h.twoFactor.startLogin(user);
    const wrong = fob.code(50); // long spent: a guess like any other
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      codes.push(
        (
          await rejection(
            h.twoFactor.verifyLogin({ loginId: start.loginId ?? '', method: 'hotp', code: wrong }),
          )
        ).code,
      );
    }
    expect(codes).toEqual(['otp_invalid', 'otp_invalid', 'otp_invalid', 'otp_invalid', 'locked_out']);
    expect((await rejection(answer(h, user, 'hotp', fob.code(101)))).code).toBe('locked_out');
  });

  it('a user with an app and a key fob is offered both; the method picks the device', async () => {
    const h = await harness({ store: store(), policy: selfServiceWithHotp, clock: testClock() });
    const { user, manualKey } = await enrolled(h);
    const fob = await hotpDevice(h, user);
    const start = await h.twoFactor.startLogin(user);
    expect(start.methods).toEqual(['totp', 'hotp']);
    expect(start.devices.map((d) => d.method).sort()).toEqual(['hotp', 'totp']);
    expect((await answer(h, user, 'hotp', fob.code(0))).method).toBe('hotp');
    h.clock.advance(STEP_MS);
    expect((await answer(h, user, 'totp', appCode(manualKey, h.clock()))).method).toBe('totp');
  });
});

describe('method_not_allowed', () => {
  it('K3, I6: a method the login did not offer is its own error code and counts no failure', async () => {
    const h = await harness({ policy: selfServiceWithHotp });
    const { user, manualKey } = await enrolled(h);
    const start = await h.twoFactor.startLogin(user);
    for (const method of ['hotp', 'sms', 'push'] as const) {
      const error = await rejection(
        h.twoFactor.verifyLogin({
          loginId: start.loginId ?? '',
          method,
          code: appCode(manualKey, h.clock()),
        }),
      );
      expect([error.code, error.message, error.detail]).toEqual([
        'method_not_allowed',
        DEFAULT_MESSAGES.methodNotAllowed,
        { reason: 'method_not_allowed', method },
      ]);
    }
    expect((await h.store.getFailures(`user:${user.id}`, { now: h.clock() })).count).toBe(0);

    const fobOnly = newUser();
    const fob = await hotpDevice(h, fobOnly);
    const totpAnswer = await rejection(answer(h, fobOnly, 'totp', fob.code(0)));
    expect(totpAnswer.code).toBe('method_not_allowed');
  });

  it('K2: once the policy drops HOTP, a key fob no longer answers: a fob-only user is denied, never let through', async () => {
    const before = serviceOver(new MemoryStore(), { policy: selfServiceWithHotp });
    const after = serviceOver(before.store, { policy: selfService, clock: before.clock, box: before.box });
    const fobOnly = newUser();
    await hotpDevice(before, fobOnly);
    expect((await after.twoFactor.startLogin(fobOnly)).state).toBe('denied');

    const { user } = await enrolled(before);
    const fob = await hotpDevice(before, user);
    const start = await after.twoFactor.startLogin(user);
    expect([start.methods, start.devices.map((d) => d.method)]).toEqual([['totp'], ['totp']]);
    const error = await rejection(
      after.twoFactor.verifyLogin({ loginId: start.loginId ?? '', method: 'hotp', code: fob.code(0) }),
    );
    expect(error.code).toBe('method_not_allowed');
  });
});
