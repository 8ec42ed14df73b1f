/**
 * @module
 * Conformance: backup-code sets (digests only, replaced whole, consumed once, per user; checklist F3, F4).
 */
import { expect, it } from 'vitest';
import { freshId, randomDigest, type SuiteContext } from './fixtures';

/** Registers the backup-code tests. */
export function backupCodeTests(ctx: SuiteContext): void {
  it('a user without a set has none, and consuming reports nothing left', async () => {
    const userId = freshId('user');
    expect(await ctx.store.getBackupCodeSet(userId)).toBeNull();
    expect(await ctx.store.consumeBackupCode(userId, randomDigest())).toEqual({
      consumed: false,
      remaining: 0,
    });
  });

  it('stores a set with its salt and creation time and counts the codes left', async () => {
    const userId = freshId('user');
    const salt = '01100801a3f4c2d19e87b6a5f4e3d2c1';
    await ctx.store.replaceBackupCodes(userId, {
      digests: Array.from({ length: 10 }, randomDigest),
      salt,
      now: ctx.t0,
    });
    expect(await ctx.store.getBackupCodeSet(userId)).toEqual({ salt, remaining: 10, createdAt: ctx.t0 });
    const unsalted = freshId('user');
    await ctx.store.replaceBackupCodes(unsalted, { digests: [randomDigest()], now: ctx.t0 + 1 });
    const set = await ctx.store.getBackupCodeSet(unsalted);
    expect(set).toEqual({ remaining: 1, createdAt: ctx.t0 + 1 });
    expect(set?.salt).toBeUndefined();
  });

  it('F3: a code is consumed once; a second use and an unknown digest are refused', async () => {
    const userId = freshId('user');
    const digests = Array.from({ length: 3 }, randomDigest);
    await ctx.store.replaceBackupCodes(userId, { digests, now: ctx.t0 });
    expect(await ctx.store.consumeBackupCode(userId, digests[1] ?? '')).toEqual({
      consumed: true,
      remaining: 2,
    });
    expect(await ctx.store.consumeBackupCode(userId, digests[1] ?? '')).toEqual({
      consumed: false,
      remaining: 2,
    });
    expect(await ctx.store.consumeBackupCode(userId, randomDigest())).toEqual({
      consumed: false,
      remaining: 2,
    });
    expect(await ctx.store.consumeBackupCode(userId, digests[0] ?? '')).toEqual({
      consumed: true,
      remaining: 1,
    });
    expect(await ctx.store.consumeBackupCode(userId, digests[2] ?? '')).toEqual({
      consumed: true,
      remaining: 0,
    });
    expect(await ctx.store.getBackupCodeSet(userId)).toMatchObject({ remaining: 0 });
  });

  it('H3: one user cannot consume another user’s code, even with its digest', async () => {
    const [owner, intruder] = [freshId('user'), freshId('user')];
    const digest = randomDigest();
    await ctx.store.replaceBackupCodes(owner, { digests: [digest, randomDigest()], now: ctx.t0 });
    await ctx.store.replaceBackupCodes(intruder, { digests: [randomDigest()], now: ctx.t0 });
    expect(await ctx.store.consumeBackupCode(intruder, digest)).toEqual({
      consumed: false,
      remaining: 1,
    });
    expect(await ctx.store.consumeBackupCode(owner, digest)).toEqual({
      consumed: true,
      remaining: 1,
    });
  });

  it('two users may hold the same digest; consuming it for one leaves the other’s', async () => {
    const [a, b] = [freshId('user'), freshId('user')];
    const digest = randomDigest();
    await ctx.store.replaceBackupCodes(a, { digests: [digest], now: ctx.t0 });
    await ctx.store.replaceBackupCodes(b, { digests: [digest], now: ctx.t0 });
    expect((await ctx.store.consumeBackupCode(a, digest)).consumed).toBe(true);
    expect((await ctx.store.consumeBackupCode(b, digest)).consumed).toBe(true);
  });

  it('F4: replacing the set invalidates every code of the old one, used or not', async () => {
    const userId = freshId('user');
    const old = Array.from({ length: 5 }, randomDigest);
    await ctx.store.replaceBackupCodes(userId, { digests: old, salt: 'aa01', now: ctx.t0 });
    await ctx.store.consumeBackupCode(userId, old[0] ?? '');
    const next = Array.from({ length: 8 }, randomDigest);
    await ctx.store.replaceBackupCodes(userId, { digests: next, now: ctx.t0 + 1 });
    expect(await ctx.store.getBackupCodeSet(userId)).toEqual({ remaining: 8, createdAt: ctx.t0 + 1 });
    for (const digest of old)
      expect((await ctx.store.consumeBackupCode(userId, digest)).consumed).toBe(false);
    expect(await ctx.store.consumeBackupCode(userId, next[7] ?? '')).toEqual({
      consumed: true,
      remaining: 7,
    });
  });

  it('F4: a new set may reuse a digest of the old set, and it then counts as unused', async () => {
    const userId = freshId('user');
    const shared = randomDigest();
    await ctx.store.replaceBackupCodes(userId, { digests: [shared], now: ctx.t0 });
    expect((await ctx.store.consumeBackupCode(userId, shared)).consumed).toBe(true);
    await ctx.store.replaceBackupCodes(userId, { digests: [shared, randomDigest()], now: ctx.t0 + 1 });
    expect(await ctx.store.consumeBackupCode(userId, shared)).toEqual({
      consumed: true,
      remaining: 1,
    });
  });
}
