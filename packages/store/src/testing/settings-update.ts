/**
 * @module
 * Conformance: `updateUserSettings`, the field-wise change of one user's settings: what a patch keeps,
 * sets and clears, the record it creates, the tenant, isolation between users, and concurrent updates
 * of different fields that all land (no lost update).
 */
import { expect, it } from 'vitest';
import type { UserSettings } from '../records';
import type { UserSettingsPatch } from '../store-types';
import { freshId, fulfilled, race, type SuiteContext, userSettings } from './fixtures';

// The fields a patch names, each with a value the concurrency test writes for call `index`.
const FIELDS: readonly [keyof UserSettingsPatch, (index: number, t0: number) => boolean | number][] = [
  ['useTwoFactor', (index) => index % 2 === 0],
  ['mayToggle', (index) => index % 2 === 1],
  ['graceStartedAt', (index, t0) => t0 + index],
  ['backupCodesAcknowledgedAt', (index, t0) => t0 + index],
  ['enrollmentResetAt', (index, t0) => t0 + index],
];

/** Registers the tests of `updateUserSettings`. */
export function settingsUpdateTests(ctx: SuiteContext): void {
  it('stores and reads back mayToggle null (nobody set it) and enrollmentResetAt through putUserSettings', async () => {
    const userId = freshId('user');
    const settings = userSettings(userId, ctx.t0, { mayToggle: null, enrollmentResetAt: ctx.t0 - 5 });
    await ctx.store.putUserSettings(settings);
    expect(await ctx.store.getUserSettings(userId)).toEqual(settings);
  });

  it('creates a missing record: useTwoFactor null, mayToggle null, then the patch; updatedAt is now, the tenant written when given', async () => {
    const [plain, patched] = [freshId('user'), freshId('user')];
    const tenantId = freshId('tenant');
    const empty = await ctx.store.updateUserSettings(plain, {}, { now: ctx.t0 + 1 });
    expect(empty).toEqual({ userId: plain, useTwoFactor: null, mayToggle: null, updatedAt: ctx.t0 + 1 });
    expect(await ctx.store.getUserSettings(plain)).toEqual(empty);
    const made = await ctx.store.updateUserSettings(
      patched,
      { useTwoFactor: true, graceStartedAt: ctx.t0 },
      { now: ctx.t0 + 2, tenantId },
    );
    const expected: UserSettings = {
      userId: patched,
      tenantId,
      useTwoFactor: true,
      mayToggle: null,
      graceStartedAt: ctx.t0,
      updatedAt: ctx.t0 + 2,
    };
    expect(made).toEqual(expected);
    expect(await ctx.store.getUserSettings(patched)).toEqual(expected);
    expect((await ctx.store.listUserSettings(tenantId)).map((item) => item.userId)).toEqual([patched]);
  });

  it('a field left out or undefined keeps its value, a value replaces it, null clears a time and hands a switch back to the policy', async () => {
    const userId = freshId('user');
    const stored = userSettings(userId, ctx.t0, {
      tenantId: freshId('tenant'),
      useTwoFactor: true,
      mayToggle: false,
      graceStartedAt: ctx.t0 - 3,
      backupCodesAcknowledgedAt: ctx.t0 - 2,
      enrollmentResetAt: ctx.t0 - 1,
    });
    await ctx.store.putUserSettings(stored);
    const kept = await ctx.store.updateUserSettings(userId, { useTwoFactor: undefined }, { now: ctx.t0 + 1 });
    expect(kept).toEqual({ ...stored, updatedAt: ctx.t0 + 1 });
    const changed = await ctx.store.updateUserSettings(
      userId,
      { useTwoFactor: false, mayToggle: null, graceStartedAt: null, enrollmentResetAt: ctx.t0 + 5 },
      { now: ctx.t0 + 2 },
    );
    const { graceStartedAt: _cleared, ...rest } = stored;
    const expected: UserSettings = {
      ...rest,
      useTwoFactor: false,
      mayToggle: null,
      enrollmentResetAt: ctx.t0 + 5,
      updatedAt: ctx.t0 + 2,
    };
    expect(changed).toEqual(expected);
    const read = await ctx.store.getUserSettings(userId);
    expect(read).toEqual(expected);
    expect(read?.graceStartedAt).toBeUndefined();
    const cleared = await ctx.store.updateUserSettings(
      userId,
      { useTwoFactor: null, mayToggle: true, backupCodesAcknowledgedAt: null, enrollmentResetAt: null },
      { now: ctx.t0 + 3 },
    );
    expect(cleared).toEqual({
      userId,
      tenantId: stored.tenantId,
      useTwoFactor: null,
      mayToggle: true,
      updatedAt: ctx.t0 + 3,
    });
    expect(await ctx.store.getUserSettings(userId)).toEqual(cleared);
  });

  it('a tenant given moves the user to that tenant list; a tenant omitted keeps it', async () => {
    const [tenantA, tenantB] = [freshId('tenant'), freshId('tenant')];
    const userId = freshId('user');
    await ctx.store.putUserSettings(userSettings(userId, ctx.t0, { tenantId: tenantA }));
    await ctx.store.updateUserSettings(userId, { mayToggle: false }, { now: ctx.t0 + 1, tenantId: tenantB });
    expect(await ctx.store.listUserSettings(tenantA)).toEqual([]);
    const after = await ctx.store.updateUserSettings(userId, { useTwoFactor: true }, { now: ctx.t0 + 2 });
    expect(after.tenantId).toBe(tenantB);
    expect(await ctx.store.listUserSettings(tenantB)).toEqual([after]);
  });

  it('H3: changes only that user’s settings; the returned record is a copy', async () => {
    const [userId, neighbour, absent] = [freshId('user'), freshId('user'), freshId('user')];
    const theirs = userSettings(neighbour, ctx.t0, { useTwoFactor: false, graceStartedAt: ctx.t0 });
    await ctx.store.putUserSettings(userSettings(userId, ctx.t0));
    await ctx.store.putUserSettings(theirs);
    const result = await ctx.store.updateUserSettings(
      userId,
      { useTwoFactor: true, graceStartedAt: null },
      { now: ctx.t0 + 1 },
    );
    expect(await ctx.store.getUserSettings(neighbour)).toEqual(theirs);
    expect(await ctx.store.getUserSettings(absent)).toBeNull();
    result.useTwoFactor = false;
    expect((await ctx.store.getUserSettings(userId))?.useTwoFactor).toBe(true);
  });

  const n = Math.max(ctx.concurrency, FIELDS.length);
  it(`${n} concurrent updates of the ${FIELDS.length} fields of one user all land: no lost update, and the last one applied wins whole`, async () => {
    const userId = freshId('user');
    const calls = Array.from({ length: n }, (_, index) => {
      const [field, value] = FIELDS[index % FIELDS.length] ?? FIELDS[0]!;
      return { field, value: value(index, ctx.t0), now: ctx.t0 + 100 + index };
    });
    // The record does not exist yet: every call also races to create it.
    const results = fulfilled(
      await race(n, (index) => {
        const { field, value, now } = calls[index] ?? calls[0]!;
        return ctx.store.updateUserSettings(userId, { [field]: value }, { now });
      }),
    );
    // Each call resolves the settings right after its own step, so it sees its own value.
    results.forEach((result, index) => {
      const call = calls[index];
      expect(result[call?.field ?? 'useTwoFactor'], `call ${index}`).toBe(call?.value);
      expect(result.updatedAt).toBe(call?.now);
    });
    const stored = await ctx.store.getUserSettings(userId);
    // Every field holds a value one of its writers wrote: none fell back to the default of a missing record.
    for (const [field] of FIELDS) {
      const written = calls.filter((call) => call.field === field).map((call) => call.value);
      expect(written, field).toContain(stored?.[field]);
    }
    // The last step applied left the record as it returned it.
    expect(results).toContainEqual(stored);
  });
}
