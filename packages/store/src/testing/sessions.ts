/**
 * @module
 * Conformance: session epochs (checklist I5, H9). A counter per user that starts at 0, grows by one per
 * bump, is the user's alone (H3), and survives everything but a bump: a reset, a replaced or updated
 * settings record, a sweep and, for a durable store, a restart.
 */
import { expect, it } from 'vitest';
import { freshId, type SuiteContext, totpCredential, userSettings } from './fixtures';

/** Registers the session-epoch tests. */
export function sessionEpochTests(ctx: SuiteContext): void {
  it('I5: a user never bumped is at 0; each bump resolves the new value, which getSessionEpoch then reads', async () => {
    const userId = freshId('user');
    expect(await ctx.store.getSessionEpoch(userId)).toBe(0);
    expect(await ctx.store.bumpSessionEpoch(userId)).toBe(1);
    expect(await ctx.store.getSessionEpoch(userId)).toBe(1);
    expect(await ctx.store.bumpSessionEpoch(userId)).toBe(2);
    expect(await ctx.store.bumpSessionEpoch(userId)).toBe(3);
    expect(await ctx.store.getSessionEpoch(userId)).toBe(3);
  });

  it('H3: a bump changes that user’s epoch only', async () => {
    const [userId, neighbour] = [freshId('user'), freshId('user')];
    await ctx.store.bumpSessionEpoch(userId);
    await ctx.store.bumpSessionEpoch(userId);
    expect(await ctx.store.getSessionEpoch(neighbour)).toBe(0);
    expect(await ctx.store.bumpSessionEpoch(neighbour)).toBe(1);
    expect(await ctx.store.getSessionEpoch(userId)).toBe(2);
  });

  it('I5: resetUser, putUserSettings, updateUserSettings and sweepExpired keep the epoch', async () => {
    const userId = freshId('user');
    await ctx.store.putUserSettings(userSettings(userId, ctx.t0, { useTwoFactor: true }));
    await ctx.store.addCredential(totpCredential(userId, ctx.t0));
    await ctx.store.bumpSessionEpoch(userId);
    await ctx.store.bumpSessionEpoch(userId);
    await ctx.store.resetUser(userId);
    expect(await ctx.store.getSessionEpoch(userId)).toBe(2);
    await ctx.store.putUserSettings(userSettings(userId, ctx.t0 + 1, { useTwoFactor: false }));
    expect(await ctx.store.getSessionEpoch(userId)).toBe(2);
    await ctx.store.updateUserSettings(userId, { enrollmentResetAt: ctx.t0 + 2 }, { now: ctx.t0 + 2 });
    expect(await ctx.store.getSessionEpoch(userId)).toBe(2);
    await ctx.store.sweepExpired({ now: ctx.t0, limit: 1 });
    expect(await ctx.store.getSessionEpoch(userId)).toBe(2);
    expect(await ctx.store.bumpSessionEpoch(userId)).toBe(3);
  });

  it('a durable store shows the epoch and the new settings fields to a second store opened over the same backend', async ({
    skip,
  }) => {
    if (!ctx.store.capabilities.durable) {
      console.info(
        '[store conformance] session epochs after a restart skipped: capabilities.durable is false',
      );
      return skip('capabilities.durable is false: nothing is promised after a restart');
    }
    if (ctx.reopen === undefined) {
      throw new Error('the store declares capabilities.durable but its ConformanceTarget has no reopen()');
    }
    const userId = freshId('user');
    await ctx.store.bumpSessionEpoch(userId);
    const settings = await ctx.store.updateUserSettings(
      userId,
      { enrollmentResetAt: ctx.t0, graceStartedAt: ctx.t0 + 1 },
      { now: ctx.t0 + 2, tenantId: freshId('tenant') },
    );
    const again = await ctx.reopen();
    try {
      expect(await again.getSessionEpoch(userId)).toBe(1);
      expect(await again.getUserSettings(userId)).toEqual(settings);
      expect(settings.mayToggle).toBeNull();
    } finally {
      await again.close();
    }
  });
}
