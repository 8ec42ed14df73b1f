/**
 * The multiMethod product's voice fallback: a flash call whose calling number ends in a 4-digit code
 * (the one G1 exception, with 3 attempts), and after the policy's three calls an SMS with a 6-digit
 * code to the same number instead.
 */
import { multiMethod } from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import { codeSent, enrolled, freshActor, rejection } from './fixtures';
import { afterCooldown, oobHarness, smsCode } from './oob-helpers';

const NUMBER = '+4930123456789';

async function withVoice() {
  const h = oobHarness({ policy: multiMethod });
  const { user } = await enrolled(h);
  const actor = freshActor(user, h.clock(), 'totp');
  const added = await codeSent(h.twoFactor.addAddress(actor, { method: 'voice', address: NUMBER }));
  expect(added.channel).toBe('voice');
  const code = h.voice.last(NUMBER)?.callerSuffix ?? '';
  expect(code).toMatch(/^[0-9]{4}$/);
  await h.twoFactor.verifyAddress(actor, { enrollmentId: added.enrollmentId, code });
  afterCooldown(h);
  return { h, user };
}

describe('voice codes: flash calls, then an SMS', () => {
  it('calls three times with a 4-digit caller suffix, then sends an SMS with a 6-digit code to the same number', async () => {
    const { h, user } = await withVoice();
    h.voice.clear();
    const start = await h.twoFactor.startLogin(user);
    expect(start.fallbackMethods).toContain('voice');
    expect(start.devices.find((d) => d.method === 'voice')?.hint).toBe('+49 *** *** **89');
    const loginId = start.loginId ?? '';
    const channels: string[] = [];
    for (let send = 0; send < 4; send++) {
      channels.push((await h.twoFactor.sendLoginCode({ loginId, method: 'voice' })).channel);
      afterCooldown(h);
    }
    expect(channels).toEqual(['voice', 'voice', 'voice', 'sms']);
    expect(h.voice.calls.map((call) => call.to)).toEqual([NUMBER, NUMBER, NUMBER]);
    expect(h.voice.calls.every((call) => /^[0-9]{4}$/.test(call.callerSuffix))).toBe(true);
    const code = smsCode(h, NUMBER);
    expect(code).toMatch(/^[0-9]{6}$/);

    // The last call's code died with the SMS (G6); the SMS code passes the voice login.
    const lastCall = h.voice.last(NUMBER)?.callerSuffix ?? '';
    const stale = await rejection(h.twoFactor.verifyLogin({ loginId, method: 'voice', code: lastCall }));
    expect(stale.code).toBe('otp_invalid');
    const proof = await h.twoFactor.verifyLogin({ loginId, method: 'voice', code });
    expect(proof).toMatchObject({ method: 'voice', fallback: true });
  });

  it('a flash-call code takes 3 wrong attempts, then no code of that challenge passes', async () => {
    const { h, user } = await withVoice();
    const loginId = (await h.twoFactor.startLogin(user)).loginId ?? '';
    await h.twoFactor.sendLoginCode({ loginId, method: 'voice' });
    const code = h.voice.last(NUMBER)?.callerSuffix ?? '';
    const wrong = String((Number(code) + 1) % 10_000).padStart(4, '0');
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await rejection(h.twoFactor.verifyLogin({ loginId, method: 'voice', code: wrong }))).code).toBe(
        'otp_invalid',
      );
    }
    const challenge = await h.store.getChallenge(user.id, `${loginId.split('.')[0]}.voice`);
    expect(challenge).toMatchObject({ attempts: 3, maxAttempts: 3 });
    // The right code after the cap answers like a wrong one (no oracle past the limit) and counts.
    const late = await rejection(h.twoFactor.verifyLogin({ loginId, method: 'voice', code }));
    expect(late.code).toBe('otp_invalid');
  });
});
