/**
 * Drift (RFC 6238 §6, checklist C3), the pending login's binding and limits (I2, I3, K3), and bad input
 * at verifyLogin.
 */
import { describe, expect, it } from 'vitest';
import { appCode, enrolled, harness, rejection, STEP_MS } from './fixtures';

describe('verifyLogin', () => {
  it('C3: the drift of a success is stored and applied at the next login', async () => {
    const h = await harness(); // selfService: window of 2 steps either way
    const { user, manualKey, start } = await enrolled(h);
    h.clock.advance(10 * STEP_MS);
    // A phone two steps late: accepted inside the window, drift −2 stored.
    const first = await h.twoFactor.startLogin(user);
    await h.twoFactor.verifyLogin({
      loginId: first.loginId ?? '',
      method: 'totp',
      code: appCode(manualKey, h.clock(), -2),
    });
    expect((await h.store.getCredential(user.id, start.enrollmentId))?.driftSteps).toBe(-2);
    // Four steps later the same phone is four steps late: accepted only because the drift is applied.
    h.clock.advance(4 * STEP_MS);
    const second = await h.twoFactor.startLogin(user);
    const proof = await h.twoFactor.verifyLogin({
      loginId: second.loginId ?? '',
      method: 'totp',
      code: appCode(manualKey, h.clock(), -4),
    });
    expect(proof.method).toBe('totp');
  });

  it('I3: a pending login expires; expired and unknown logins get one and the same answer', async () => {
    const h = await harness();
    const { user, manualKey } = await enrolled(h);
    const { loginId, expiresAt } = await h.twoFactor.startLogin(user);
    expect((expiresAt ?? 0) - h.clock()).toBeLessThanOrEqual(600_000);
    h.clock.set(expiresAt ?? 0);
    const expired = await rejection(
      h.twoFactor.verifyLogin({
        loginId: loginId ?? '',
        method: 'totp',
        code: appCode(manualKey, h.clock()),
      }),
    );
    const unknown = await rejection(
      h.twoFactor.verifyLogin({ loginId: 'x'.repeat(22), method: 'totp', code: '123456' }),
    );
    expect([expired.code, expired.message]).toEqual([unknown.code, unknown.message]);
    expect(expired.code).toBe('challenge_expired');
  });

  it("H3, I2: a login id rewritten to name another user finds nothing of that user's", async () => {
    const h = await harness();
    const ada = await enrolled(h);
    const bob = await enrolled(h);
    const { loginId } = await h.twoFactor.startLogin(ada.user);
    const forged = `${(loginId ?? '').split('.')[0]}.${Buffer.from(bob.user.id).toString('base64url')}`;
    h.clock.advance(STEP_MS);
    const error = await rejection(
      h.twoFactor.verifyLogin({ loginId: forged, method: 'totp', code: appCode(bob.manualKey, h.clock()) }),
    );
    expect(error.code).toBe('challenge_expired');
  });

  it('K3, I6: a method the login did not offer is refused without counting a failure', async () => {
    const h = await harness();
    const { user } = await enrolled(h);
    const { loginId } = await h.twoFactor.startLogin(user);
    const error = await rejection(
      h.twoFactor.verifyLogin({ loginId: loginId ?? '', method: 'sms', code: '123456' }),
    );
    expect([error.code, error.detail]).toEqual([
      'method_not_allowed',
      { reason: 'method_not_allowed', method: 'sms' },
    ]);
    expect((await h.store.getFailures(`user:${user.id}`, { now: h.clock() })).count).toBe(0);
  });

  it('C7: bad input gets a typed error', async () => {
    const h = await harness();
    const { user } = await enrolled(h);
    const { loginId } = await h.twoFactor.startLogin(user);
    const verify = h.twoFactor.verifyLogin as (input: unknown) => Promise<unknown>;
    for (const input of [
      null,
      'x',
      { loginId, method: 'totp' },
      { loginId, method: 'totp', code: 123456 },
      { loginId, method: 7, code: '1' },
    ]) {
      expect((await rejection(verify(input))).code).toBe('invalid_argument');
    }
    for (const code of ['', ' ', '12345', '1234567', 'abcdef', '１２３４５６']) {
      const fresh = await h.twoFactor.startLogin(user);
      expect(
        (await rejection(h.twoFactor.verifyLogin({ loginId: fresh.loginId ?? '', method: 'totp', code })))
          .code,
      ).toMatch(/^(otp_invalid|locked_out)$/);
    }
  });
});
