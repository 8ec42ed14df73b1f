/**
 * @module
 * Conformance: out-of-band and login challenges (checklist G2, G3, G4, G6, E1, E4, D5): digest only,
 * bound to their user, single use, expiring on the injected clock, counting attempts.
 */
import { expect, it } from 'vitest';
import {
  createdChallenge,
  emailChallenge,
  expectRejection,
  freshId,
  randomDigest,
  type SuiteContext,
} from './fixtures';
import { as } from './validation';

/** Registers the challenge tests. */
export function challengeTests(ctx: SuiteContext): void {
  it('stores a challenge and reads it back for its user only', async () => {
    const [owner, intruder] = [freshId('user'), freshId('user')];
    const challenge = emailChallenge(owner, ctx.t0, randomDigest(), {
      tenantId: freshId('tenant'),
      credentialId: freshId('cred'),
      data: { methods: 'totp,email', remember: true, step: 2 },
    });
    await ctx.store.createChallenge(challenge);
    expect(await ctx.store.getChallenge(owner, challenge.id)).toEqual(createdChallenge(challenge));
    expect(await ctx.store.getChallenge(intruder, challenge.id)).toBeNull();
    expect(await ctx.store.getChallenge(owner, freshId('chal'))).toBeNull();
  });

  it('stores a login challenge with nothing sent yet (digest null, no delivery)', async () => {
    const userId = freshId('user');
    const challenge = emailChallenge(userId, ctx.t0, null, { kind: 'login' });
    await ctx.store.createChallenge(challenge);
    expect(await ctx.store.getChallenge(userId, challenge.id)).toEqual(createdChallenge(challenge));
    expect((await ctx.store.getChallenge(userId, challenge.id))?.deliveries).toBe(0);
    expect(
      await ctx.store.consumeChallenge(userId, challenge.id, { digest: randomDigest(), now: ctx.t0 }),
    ).toBe('mismatch');
  });

  it('E1: a challenge whose digest is null (a pending login) answers mismatch to every digest and counts each attempt, then locks', async () => {
    const userId = freshId('user');
    const login = emailChallenge(userId, ctx.t0, null, { kind: 'login', maxAttempts: 3 });
    await ctx.store.createChallenge(login);
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(
        await ctx.store.consumeChallenge(userId, login.id, { digest: randomDigest(), now: ctx.t0 + attempt }),
      ).toBe('mismatch');
      expect((await ctx.store.getChallenge(userId, login.id))?.attempts).toBe(attempt);
    }
    expect(
      await ctx.store.consumeChallenge(userId, login.id, { digest: randomDigest(), now: ctx.t0 + 4 }),
    ).toBe('locked');
    expect(await ctx.store.getChallenge(userId, login.id)).toEqual({
      ...createdChallenge(login),
      attempts: 3,
    });
  });

  it('E1/G3: createChallenge refuses attempts, deliveries and consumedAt: the store owns them, so no challenge is born locked, consumed or resent', async () => {
    const userId = freshId('user');
    const digest = randomDigest();
    // Each case is a whole record of the old shape, so only the named field makes it wrong.
    const owned: [string, Record<string, unknown>][] = [
      ['challenge.attempts', { attempts: 5, deliveries: 1 }], // = maxAttempts: born locked, the right code refused
      ['challenge.consumedAt', { attempts: 0, deliveries: 1, consumedAt: ctx.t0 }], // born consumed
      ['challenge.deliveries', { attempts: 0, deliveries: 7 }], // born resent
      ['challenge.attempts', { attempts: 0, deliveries: 1 }],
      ['challenge.attempts', { attempts: 0 }],
      ['challenge.deliveries', { deliveries: 0 }],
      ['challenge.consumedAt', { consumedAt: 0 }],
    ];
    for (const [field, extra] of owned) {
      const challenge = { ...emailChallenge(userId, ctx.t0, digest, { maxAttempts: 5 }), ...extra };
      const error = await expectRejection(() => ctx.store.createChallenge(as(challenge)), 'invalid_argument');
      expect(error.message, JSON.stringify(extra)).toContain(field);
      expect(await ctx.store.getChallenge(userId, challenge.id)).toBeNull();
    }
  });

  it('a new challenge starts with no attempts, not consumed, and one delivery (none while its digest is null)', async () => {
    const userId = freshId('user');
    const digest = randomDigest();
    const sent = emailChallenge(userId, ctx.t0, digest, { maxAttempts: 1 });
    const waiting = emailChallenge(userId, ctx.t0, null, { kind: 'login' });
    await ctx.store.createChallenge(sent);
    await ctx.store.createChallenge(waiting);
    expect(await ctx.store.getChallenge(userId, sent.id)).toEqual({ ...sent, attempts: 0, deliveries: 1 });
    expect(await ctx.store.getChallenge(userId, waiting.id)).toEqual({
      ...waiting,
      attempts: 0,
      deliveries: 0,
    });
    expect(await ctx.store.consumeChallenge(userId, sent.id, { digest, now: ctx.t0 })).toBe('ok');
  });

  it('rejects a second challenge with an existing id as conflict and keeps the first', async () => {
    const challenge = emailChallenge(freshId('user'), ctx.t0, randomDigest());
    await ctx.store.createChallenge(challenge);
    await expectRejection(
      () => ctx.store.createChallenge({ ...challenge, userId: freshId('user') }),
      'conflict',
    );
    expect(await ctx.store.getChallenge(challenge.userId, challenge.id)).toEqual(createdChallenge(challenge));
  });

  it('G3/D5: the right code is ok once, then consumed; consumedAt is recorded', async () => {
    const userId = freshId('user');
    const digest = randomDigest();
    const challenge = emailChallenge(userId, ctx.t0, digest);
    await ctx.store.createChallenge(challenge);
    expect(await ctx.store.consumeChallenge(userId, challenge.id, { digest, now: ctx.t0 + 5 })).toBe('ok');
    expect(await ctx.store.consumeChallenge(userId, challenge.id, { digest, now: ctx.t0 + 6 })).toBe(
      'consumed',
    );
    expect(
      await ctx.store.consumeChallenge(userId, challenge.id, { digest: randomDigest(), now: ctx.t0 + 6 }),
    ).toBe('consumed');
    expect(await ctx.store.getChallenge(userId, challenge.id)).toMatchObject({
      consumedAt: ctx.t0 + 5,
      attempts: 0,
    });
  });

  it('H3: another user gets not_found with the right id and digest, and the challenge stays usable', async () => {
    const [owner, intruder] = [freshId('user'), freshId('user')];
    const digest = randomDigest();
    const challenge = emailChallenge(owner, ctx.t0, digest);
    await ctx.store.createChallenge(challenge);
    expect(await ctx.store.consumeChallenge(intruder, challenge.id, { digest, now: ctx.t0 })).toBe(
      'not_found',
    );
    expect(
      await ctx.store.rotateChallenge(intruder, challenge.id, {
        digest: randomDigest(),
        expiresAt: ctx.t0 + 1,
        now: ctx.t0,
      }),
    ).toBeNull();
    expect(await ctx.store.deleteChallenge(intruder, challenge.id)).toBe(false);
    expect(await ctx.store.getChallenge(owner, challenge.id)).toEqual(createdChallenge(challenge));
    expect(await ctx.store.consumeChallenge(owner, challenge.id, { digest, now: ctx.t0 })).toBe('ok');
  });

  it('unknown challenges are not_found', async () => {
    expect(
      await ctx.store.consumeChallenge(freshId('user'), freshId('chal'), {
        digest: randomDigest(),
        now: ctx.t0,
      }),
    ).toBe('not_found');
  });

  it('G2: a code works until one millisecond before expiresAt and is expired from expiresAt on (injected clock)', async () => {
    const userId = freshId('user');
    const digest = randomDigest();
    const early = emailChallenge(userId, ctx.t0, digest);
    const late = emailChallenge(userId, ctx.t0, digest);
    await ctx.store.createChallenge(early);
    await ctx.store.createChallenge(late);
    expect(await ctx.store.consumeChallenge(userId, early.id, { digest, now: early.expiresAt - 1 })).toBe(
      'ok',
    );
    expect(await ctx.store.consumeChallenge(userId, late.id, { digest, now: late.expiresAt })).toBe(
      'expired',
    );
    expect(await ctx.store.consumeChallenge(userId, late.id, { digest, now: late.expiresAt + 60_000 })).toBe(
      'expired',
    );
    expect((await ctx.store.getChallenge(userId, late.id))?.attempts).toBe(0);
  });

  it('E1: wrong codes count as attempts; at maxAttempts the challenge is locked, even for the right code', async () => {
    const userId = freshId('user');
    const digest = randomDigest();
    const challenge = emailChallenge(userId, ctx.t0, digest, { maxAttempts: 3 });
    await ctx.store.createChallenge(challenge);
    for (let i = 1; i <= 3; i++) {
      expect(
        await ctx.store.consumeChallenge(userId, challenge.id, { digest: randomDigest(), now: ctx.t0 }),
      ).toBe('mismatch');
      expect((await ctx.store.getChallenge(userId, challenge.id))?.attempts).toBe(i);
    }
    expect(await ctx.store.consumeChallenge(userId, challenge.id, { digest, now: ctx.t0 })).toBe('locked');
    expect(
      await ctx.store.consumeChallenge(userId, challenge.id, { digest: randomDigest(), now: ctx.t0 }),
    ).toBe('locked');
    expect((await ctx.store.getChallenge(userId, challenge.id))?.attempts).toBe(3);
  });

  it('a right code after fewer than maxAttempts wrong ones is ok', async () => {
    const userId = freshId('user');
    const digest = randomDigest();
    const challenge = emailChallenge(userId, ctx.t0, digest, { maxAttempts: 3 });
    await ctx.store.createChallenge(challenge);
    await ctx.store.consumeChallenge(userId, challenge.id, { digest: randomDigest(), now: ctx.t0 });
    await ctx.store.consumeChallenge(userId, challenge.id, { digest: randomDigest(), now: ctx.t0 });
    expect(await ctx.store.consumeChallenge(userId, challenge.id, { digest, now: ctx.t0 })).toBe('ok');
  });

  it('outcome precedence: consumed before expired, expired before locked', async () => {
    const userId = freshId('user');
    const digest = randomDigest();
    const consumed = emailChallenge(userId, ctx.t0, digest);
    await ctx.store.createChallenge(consumed);
    await ctx.store.consumeChallenge(userId, consumed.id, { digest, now: ctx.t0 });
    expect(
      await ctx.store.consumeChallenge(userId, consumed.id, { digest, now: consumed.expiresAt + 1 }),
    ).toBe('consumed');
    const locked = emailChallenge(userId, ctx.t0, digest, { maxAttempts: 1 });
    await ctx.store.createChallenge(locked);
    await ctx.store.consumeChallenge(userId, locked.id, { digest: randomDigest(), now: ctx.t0 });
    expect(await ctx.store.consumeChallenge(userId, locked.id, { digest, now: ctx.t0 })).toBe('locked');
    expect(await ctx.store.consumeChallenge(userId, locked.id, { digest, now: locked.expiresAt })).toBe(
      'expired',
    );
  });

  it('G6/E4: a resend replaces the digest, sets the new expiry, counts a delivery and keeps the attempts', async () => {
    const userId = freshId('user');
    const [first, second] = [randomDigest(), randomDigest()];
    const challenge = emailChallenge(userId, ctx.t0, first, { maxAttempts: 5 });
    await ctx.store.createChallenge(challenge);
    await ctx.store.consumeChallenge(userId, challenge.id, { digest: randomDigest(), now: ctx.t0 + 1 });
    await ctx.store.consumeChallenge(userId, challenge.id, { digest: randomDigest(), now: ctx.t0 + 2 });
    const expiresAt = ctx.t0 + 900_000;
    const rotated = await ctx.store.rotateChallenge(userId, challenge.id, {
      digest: second,
      expiresAt,
      now: ctx.t0 + 3,
    });
    expect(rotated).toEqual({ ...challenge, digest: second, expiresAt, deliveries: 2, attempts: 2 });
    expect(await ctx.store.getChallenge(userId, challenge.id)).toEqual(rotated);
    expect(await ctx.store.consumeChallenge(userId, challenge.id, { digest: first, now: ctx.t0 + 4 })).toBe(
      'mismatch',
    );
    expect(
      await ctx.store.consumeChallenge(userId, challenge.id, {
        digest: second,
        now: challenge.expiresAt + 1,
      }),
    ).toBe('ok');
  });

  it('G6: a consumed, expired or unknown challenge cannot be resent', async () => {
    const userId = freshId('user');
    const digest = randomDigest();
    const next = { digest: randomDigest(), expiresAt: ctx.t0 + 1_200_000, now: ctx.t0 };
    const consumed = emailChallenge(userId, ctx.t0, digest);
    await ctx.store.createChallenge(consumed);
    await ctx.store.consumeChallenge(userId, consumed.id, { digest, now: ctx.t0 });
    expect(await ctx.store.rotateChallenge(userId, consumed.id, next)).toBeNull();
    const expired = emailChallenge(userId, ctx.t0, digest);
    await ctx.store.createChallenge(expired);
    expect(
      await ctx.store.rotateChallenge(userId, expired.id, { ...next, now: expired.expiresAt }),
    ).toBeNull();
    expect(await ctx.store.getChallenge(userId, expired.id)).toEqual(createdChallenge(expired));
    expect(await ctx.store.rotateChallenge(userId, freshId('chal'), next)).toBeNull();
  });

  it('G4: a code issued for one challenge is rejected for another challenge of the same user', async () => {
    const userId = freshId('user');
    const digest = randomDigest();
    const login = emailChallenge(userId, ctx.t0, digest, { purpose: 'login' });
    const disable = emailChallenge(userId, ctx.t0, randomDigest(), { purpose: 'disable' });
    await ctx.store.createChallenge(login);
    await ctx.store.createChallenge(disable);
    expect(await ctx.store.consumeChallenge(userId, disable.id, { digest, now: ctx.t0 })).toBe('mismatch');
    expect((await ctx.store.getChallenge(userId, disable.id))?.purpose).toBe('disable');
    expect(await ctx.store.consumeChallenge(userId, login.id, { digest, now: ctx.t0 })).toBe('ok');
  });

  it('deletes a challenge once', async () => {
    const challenge = emailChallenge(freshId('user'), ctx.t0, randomDigest());
    await ctx.store.createChallenge(challenge);
    expect(await ctx.store.deleteChallenge(challenge.userId, challenge.id)).toBe(true);
    expect(await ctx.store.deleteChallenge(challenge.userId, challenge.id)).toBe(false);
    expect(await ctx.store.getChallenge(challenge.userId, challenge.id)).toBeNull();
    expect(
      await ctx.store.consumeChallenge(challenge.userId, challenge.id, {
        digest: challenge.digest ?? '',
        now: ctx.t0,
      }),
    ).toBe('not_found');
  });
}
