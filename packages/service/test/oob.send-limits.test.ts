/**
 * Checklist G8: sends are limited per destination (whoever asks), per account, and by a wait between
 * two sends to one destination; a refused send sends nothing and says how long to wait.
 */
import { retryAfterMs } from '@secondfactor/service';
import { describe, expect, it } from 'vitest';
import { asActor, codeSent, newUser, rejection } from './fixtures';
import { oobHarness, withEmail } from './oob-helpers';

describe('G8: send limits', () => {
  it('cooldown: a second send to one destination within 30 s is rate_limited with the wait', async () => {
    const h = oobHarness();
    const user = newUser();
    const added = await codeSent(
      h.twoFactor.addAddress(asActor(user), {
        method: 'email',
        address: 'wait@example.com',
      }),
    );
    h.clock.advance(10_000);
    const error = await rejection(
      h.twoFactor.resendAddressCode(asActor(user), { enrollmentId: added.enrollmentId }),
    );
    expect(error.code).toBe('rate_limited');
    expect(error.detail).toEqual({ limit: 'cooldown', retryAfterMs: 20_000 });
    expect(retryAfterMs(error)).toBe(20_000);
    expect(h.email.emails).toHaveLength(1);
    h.clock.advance(20_000);
    await h.twoFactor.resendAddressCode(asActor(user), { enrollmentId: added.enrollmentId });
    expect(h.email.emails).toHaveLength(2);
  });

  it('per destination: the 6th send to one number in 15 minutes is refused, also when other users ask', async () => {
    const h = oobHarness({ sendLimits: { cooldownSeconds: 0 } });
    const number = '+4915100000030';
    for (let send = 0; send < 5; send++) {
      await h.twoFactor.addAddress(asActor(newUser()), { method: 'sms', address: number });
      h.clock.advance(60_000);
    }
    const error = await rejection(
      h.twoFactor.addAddress(asActor(newUser()), { method: 'sms', address: number }),
    );
    expect(error.code).toBe('rate_limited');
    // The 5th send (at 4:00) started a 15-minute wait; it is now 5:00.
    expect(error.detail).toEqual({ limit: 'destination', retryAfterMs: 14 * 60_000 });
    expect(h.sms.messages).toHaveLength(5);
    h.clock.advance(14 * 60_000);
    await h.twoFactor.addAddress(asActor(newUser()), { method: 'sms', address: number });
    expect(h.sms.messages).toHaveLength(6);
  });

  it('per account: the 11th send of one user in an hour is refused, to any destination', async () => {
    const h = oobHarness({ sendLimits: { cooldownSeconds: 0 } });
    const user = newUser();
    for (let send = 0; send < 10; send++) {
      await h.twoFactor.addAddress(asActor(user), { method: 'email', address: `a${send}@example.com` });
    }
    const error = await rejection(
      h.twoFactor.addAddress(asActor(user), { method: 'email', address: 'a10@example.com' }),
    );
    expect(error.code).toBe('rate_limited');
    expect(error.detail).toEqual({ limit: 'account', retryAfterMs: 3_600_000 });
    expect(h.email.emails).toHaveLength(10);
    // Another user is not held up by it.
    await h.twoFactor.addAddress(asActor(newUser()), { method: 'email', address: 'a10@example.com' });
  });

  it('login codes count too: a resend inside the wait sends nothing', async () => {
    const h = oobHarness();
    const { user } = await withEmail(h);
    const loginId = (await h.twoFactor.startLogin(user)).loginId ?? '';
    await h.twoFactor.sendLoginCode({ loginId, method: 'email' });
    const error = await rejection(h.twoFactor.sendLoginCode({ loginId, method: 'email' }));
    expect(error.code).toBe('rate_limited');
    expect(h.email.emails).toHaveLength(2);
  });

  it('limits are options: a bad one is refused at creation, naming it', () => {
    for (const sendLimits of [
      { cooldownSeconds: -1 },
      { cooldownSeconds: 3601 },
      { perDestination: { max: 0, windowSeconds: 60 } },
      { perAccount: { max: 5, windowSeconds: 1.5 } },
    ]) {
      expect(() => oobHarness({ sendLimits })).toThrow(/options\.sendLimits\./);
    }
  });
});
