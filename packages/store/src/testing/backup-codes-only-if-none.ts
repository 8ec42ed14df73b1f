/**
 * @module
 * Conformance: `replaceBackupCodes` with `onlyIfNone`, the conditional first write of a set that
 * `issueBackupCodes` relies on (checklist F4, D7). The check and the write are one atomic step, so of
 * concurrent first issues exactly one is stored and only its codes work.
 */
import { expect, it } from 'vitest';
import { expectRejection, freshId, fulfilled, race, randomDigest, type SuiteContext } from './fixtures';

const digestSet = (count = 5): string[] => Array.from({ length: count }, randomDigest);

/** Registers the `onlyIfNone` tests. */
export function onlyIfNoneTests(ctx: SuiteContext): void {
  const n = ctx.concurrency;

  it('onlyIfNone on a user without a set writes it and resolves true', async () => {
    const userId = freshId('user');
    const digests = digestSet();
    expect(await ctx.store.replaceBackupCodes(userId, { digests, now: ctx.t0, onlyIfNone: true })).toBe(true);
    expect(await ctx.store.getBackupCodeSet(userId)).toEqual({ remaining: 5, createdAt: ctx.t0 });
    expect((await ctx.store.consumeBackupCode(userId, digests[2] ?? '')).consumed).toBe(true);
  });

  it('onlyIfNone on a user with a set writes nothing, resolves false and leaves the old set working', async () => {
    const userId = freshId('user');
    const salt = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
    const old = digestSet();
    const next = digestSet(3);
    expect(await ctx.store.replaceBackupCodes(userId, { digests: old, salt, now: ctx.t0 })).toBe(true);
    expect(
      await ctx.store.replaceBackupCodes(userId, { digests: next, now: ctx.t0 + 1, onlyIfNone: true }),
    ).toBe(false);
    expect(await ctx.store.getBackupCodeSet(userId)).toEqual({ salt, remaining: 5, createdAt: ctx.t0 });
    for (const digest of next)
      expect((await ctx.store.consumeBackupCode(userId, digest)).consumed).toBe(false);
    expect(await ctx.store.consumeBackupCode(userId, old[0] ?? '')).toEqual({
      consumed: true,
      remaining: 4,
    });
  });

  it('a fully used set still counts as a set (getBackupCodeSet is non-null), so onlyIfNone refuses', async () => {
    const userId = freshId('user');
    const old = digestSet(2);
    await ctx.store.replaceBackupCodes(userId, { digests: old, now: ctx.t0 });
    for (const digest of old) await ctx.store.consumeBackupCode(userId, digest);
    expect(await ctx.store.getBackupCodeSet(userId)).toEqual({ remaining: 0, createdAt: ctx.t0 });
    const next = digestSet(2);
    expect(
      await ctx.store.replaceBackupCodes(userId, { digests: next, now: ctx.t0 + 1, onlyIfNone: true }),
    ).toBe(false);
    expect(await ctx.store.getBackupCodeSet(userId)).toEqual({ remaining: 0, createdAt: ctx.t0 });
    expect((await ctx.store.consumeBackupCode(userId, next[0] ?? '')).consumed).toBe(false);
  });

  it('after resetUser the user has no set, and onlyIfNone writes again', async () => {
    const userId = freshId('user');
    await ctx.store.replaceBackupCodes(userId, { digests: digestSet(), now: ctx.t0 });
    await ctx.store.resetUser(userId);
    const next = digestSet(4);
    expect(
      await ctx.store.replaceBackupCodes(userId, { digests: next, now: ctx.t0 + 1, onlyIfNone: true }),
    ).toBe(true);
    expect(await ctx.store.getBackupCodeSet(userId)).toEqual({ remaining: 4, createdAt: ctx.t0 + 1 });
  });

  it('onlyIfNone: false (or absent) replaces an existing set and resolves true', async () => {
    const userId = freshId('user');
    await ctx.store.replaceBackupCodes(userId, { digests: digestSet(), now: ctx.t0 });
    const next = digestSet(3);
    expect(
      await ctx.store.replaceBackupCodes(userId, { digests: next, now: ctx.t0 + 1, onlyIfNone: false }),
    ).toBe(true);
    expect(await ctx.store.getBackupCodeSet(userId)).toEqual({ remaining: 3, createdAt: ctx.t0 + 1 });
    expect(await ctx.store.replaceBackupCodes(userId, { digests: digestSet(2), now: ctx.t0 + 2 })).toBe(true);
    expect(await ctx.store.getBackupCodeSet(userId)).toEqual({ remaining: 2, createdAt: ctx.t0 + 2 });
  });

  it(`F4/D7: ${n} concurrent onlyIfNone writes with different sets: exactly one writes and only its codes work`, async () => {
    const userId = freshId('user');
    const sets = Array.from({ length: n }, () => digestSet(3));
    const written = fulfilled(
      await race(n, (index) =>
        ctx.store.replaceBackupCodes(userId, { digests: sets[index] ?? [], now: ctx.t0, onlyIfNone: true }),
      ),
    );
    expect(written.filter((result) => result === true)).toHaveLength(1);
    const winner = written.indexOf(true);
    expect(await ctx.store.getBackupCodeSet(userId)).toEqual({ remaining: 3, createdAt: ctx.t0 });
    const live: number[] = [];
    for (const [index, set] of sets.entries()) {
      for (const digest of set)
        if ((await ctx.store.consumeBackupCode(userId, digest)).consumed) live.push(index);
    }
    expect(live).toEqual([winner, winner, winner]);
  });

  it('a bad onlyIfNone value is invalid_argument and writes nothing', async () => {
    const fresh = freshId('user');
    const taken = freshId('user');
    const kept = digestSet(2);
    await ctx.store.replaceBackupCodes(taken, { digests: kept, now: ctx.t0 });
    for (const bad of ['true', 'false', 1, 0, null, {}]) {
      const onlyIfNone = bad as unknown as boolean;
      for (const userId of [fresh, taken]) {
        const error = await expectRejection(
          () => ctx.store.replaceBackupCodes(userId, { digests: digestSet(), now: ctx.t0 + 1, onlyIfNone }),
          'invalid_argument',
        );
        expect(error.message).toContain('set.onlyIfNone');
      }
    }
    expect(await ctx.store.getBackupCodeSet(fresh)).toBeNull();
    expect(await ctx.store.getBackupCodeSet(taken)).toEqual({ remaining: 2, createdAt: ctx.t0 });
  });
}
