import {
  type BackupCodeEvent,
  issueBackupCodes,
  normalizeBackupCode,
  regenerateBackupCodes,
  verifyAndConsume,
} from '@secondfactor/backup-codes';
import { SecondFactorError } from '@secondfactor/core';
import { MemoryStore } from '@secondfactor/store';
import { describe, expect, it, vi } from 'vitest';
import { hasher, NOW, newUser, setup, spellings } from './fixtures';

describe('issueBackupCodes and regenerateBackupCodes on MemoryStore', () => {
  it('F4: regenerating kills every code of the old set at once; the new codes work', async () => {
    const { store, userId, codes: old } = await setup();
    const { codes } = await regenerateBackupCodes(store, userId, {
      hasher,
      now: NOW + 1,
      reauthenticated: true,
    });
    for (const code of old) {
      expect(await verifyAndConsume(store, userId, code, { hasher, now: NOW + 2 })).toEqual({
        valid: false,
        reason: 'mismatch',
      });
    }
    expect(codes.some((code) => old.includes(code))).toBe(false);
    expect(await verifyAndConsume(store, userId, codes[0], { hasher, now: NOW + 2 })).toMatchObject({
      valid: true,
      remaining: 9,
    });
  });

  it('F4: old codes raced against a regeneration never succeed after it resolved', async () => {
    const { store, userId, codes: old } = await setup();
    const regenerated = regenerateBackupCodes(store, userId, { hasher, now: NOW, reauthenticated: true });
    const racing = old.map((code) => verifyAndConsume(store, userId, code, { hasher, now: NOW }));
    await regenerated;
    await Promise.all(racing);
    for (const code of old) {
      expect(await verifyAndConsume(store, userId, code, { hasher, now: NOW })).toMatchObject({
        valid: false,
      });
    }
    expect((await store.getBackupCodeSet(userId))?.remaining).toBe(10);
  });

  it('F5/F2: no code appears in the raw store state or in any store read, in any spelling', async () => {
    const store = new MemoryStore();
    const { userId, codes } = await setup({ store });
    const regenerated = await regenerateBackupCodes(store, userId, {
      hasher,
      now: NOW,
      reauthenticated: true,
    });
    const reads = JSON.stringify([
      await store.getBackupCodeSet(userId),
      await store.getTwoFactorSummaries([userId]),
      await store.listAudit({ userId }),
    ]);
    // exportSnapshot is the memory store's whole state as JSON (what its snapshot file and raw dump hold).
    const raw = store.exportSnapshot();
    // The dump does hold the digests: proof that it reaches the stored set.
    const digest = await hasher.digest(userId, normalizeBackupCode(regenerated.codes[0])!, undefined);
    expect(raw).toContain(digest);
    for (const code of [...codes, ...regenerated.codes]) {
      for (const text of spellings(code)) {
        expect(raw).not.toContain(text);
        expect(reads).not.toContain(text);
      }
    }
  });

  it('F5: the store set exposes only the count, date and salt', async () => {
    const { store, userId } = await setup();
    const set = await store.getBackupCodeSet(userId);
    expect(set).not.toBeNull();
    expect(Object.keys(set!).sort()).toEqual(expect.arrayContaining(['createdAt', 'remaining']));
    expect(Object.keys(set!).every((key) => ['createdAt', 'remaining', 'salt'].includes(key))).toBe(true);
    expect(set?.salt).toBeUndefined();
    expect(set).toMatchObject({ remaining: 10, createdAt: NOW });
  });

  it('F6: regenerating without reauthenticated: true throws fresh_auth_required and keeps the old set', async () => {
    const { store, userId, codes } = await setup();
    for (const reauthenticated of [undefined, false, 'true', 1]) {
      await expect(
        regenerateBackupCodes(store, userId, { hasher, now: NOW, reauthenticated } as never),
      ).rejects.toSatisfy(
        (error) => error instanceof SecondFactorError && error.code === 'fresh_auth_required',
      );
    }
    expect(await verifyAndConsume(store, userId, codes[0], { hasher, now: NOW })).toMatchObject({
      valid: true,
    });
  });

  it('issuing over an existing set is a conflict (replacing a set goes through regenerate) and changes nothing', async () => {
    const { store, userId, codes } = await setup();
    await expect(issueBackupCodes(store, userId, { hasher, now: NOW })).rejects.toSatisfy(
      (error) => error instanceof SecondFactorError && error.code === 'conflict',
    );
    expect(await verifyAndConsume(store, userId, codes[0], { hasher, now: NOW })).toMatchObject({
      valid: true,
    });
  });

  it('D7: 20 concurrent first issues for one user: exactly one succeeds, the rest get conflict, only its codes verify', async () => {
    const store = new MemoryStore();
    const userId = newUser();
    const onEvent = vi.fn();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => issueBackupCodes(store, userId, { hasher, now: NOW, onEvent })),
    );
    const won = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const error of lost)
      expect(error instanceof SecondFactorError && error.code === 'conflict').toBe(true);
    // Only the winner's write happened, so only the winner reported an event.
    expect(onEvent).toHaveBeenCalledTimes(1);
    expect((await store.getBackupCodeSet(userId))?.remaining).toBe(10);
    for (const [index, code] of won[0]!.codes.entries()) {
      expect(await verifyAndConsume(store, userId, code, { hasher, now: NOW })).toMatchObject({
        valid: true,
        remaining: 9 - index,
      });
    }
  });

  it('issuing over a fully used set is a conflict too: the set still exists until regenerated or reset', async () => {
    const { store, userId, codes } = await setup();
    for (const code of codes) await verifyAndConsume(store, userId, code, { hasher, now: NOW });
    await expect(issueBackupCodes(store, userId, { hasher, now: NOW })).rejects.toSatisfy(
      (error) => error instanceof SecondFactorError && error.code === 'conflict',
    );
    expect(await store.getBackupCodeSet(userId)).toMatchObject({ remaining: 0, createdAt: NOW });
  });

  it('issuing is allowed again after an admin reset removed the set', async () => {
    const { store, userId } = await setup();
    await store.resetUser(userId);
    const { codes } = await issueBackupCodes(store, userId, { hasher, now: NOW });
    expect(codes).toHaveLength(10);
  });

  it('F7: issuing and regenerating emit events with the new count and no code or digest', async () => {
    const store = new MemoryStore();
    const userId = newUser();
    const events: BackupCodeEvent[] = [];
    const onEvent = (event: BackupCodeEvent): void => {
      events.push(event);
    };
    const first = await issueBackupCodes(store, userId, { hasher, now: NOW, onEvent, count: 8 });
    const second = await regenerateBackupCodes(store, userId, {
      hasher,
      now: NOW + 5,
      onEvent,
      reauthenticated: true,
    });
    expect(events).toEqual([
      { type: 'backup_codes.issued', userId, remaining: 8, at: NOW },
      { type: 'backup_codes.regenerated', userId, remaining: 10, at: NOW + 5 },
    ]);
    expect([first.event, second.event]).toEqual(events);
    const json = JSON.stringify(events);
    for (const code of [...first.codes, ...second.codes]) {
      for (const text of spellings(code)) expect(json).not.toContain(text);
    }
  });

  it('a bad option fails before anything is written', async () => {
    const store = new MemoryStore();
    const userId = newUser();
    const replace = vi.spyOn(store, 'replaceBackupCodes');
    const bad = [
      () => issueBackupCodes(store, userId, { hasher, now: NOW, length: 8 }),
      () => issueBackupCodes(store, userId, { hasher, now: NOW, count: 0 }),
      () => issueBackupCodes(store, userId, { hasher, now: Number.NaN }),
      () => issueBackupCodes(store, '', { hasher, now: NOW }),
      () => issueBackupCodes(store, userId, { hasher: undefined as never, now: NOW }),
    ];
    for (const call of bad) {
      await expect(call()).rejects.toSatisfy(
        (error) => error instanceof SecondFactorError && error.code === 'invalid_argument',
      );
    }
    expect(replace).not.toHaveBeenCalled();
    expect(await store.getBackupCodeSet(userId)).toBeNull();
  });

  it('a throttled numeric format round-trips when the same format options are passed on both sides', async () => {
    const store = new MemoryStore();
    const userId = newUser();
    const format = { alphabet: 'numeric', length: 13, throttled: true } as const;
    const { codes } = await issueBackupCodes(store, userId, { ...format, hasher, now: NOW, groupSize: 0 });
    expect(codes[0]).toMatch(/^\d{13}$/);
    expect(await verifyAndConsume(store, userId, codes[0], { ...format, hasher, now: NOW })).toMatchObject({
      valid: true,
    });
    // Without the format, a 13-digit input is not a code of the default format.
    expect(await verifyAndConsume(store, userId, codes[1], { hasher, now: NOW })).toEqual({
      valid: false,
      reason: 'malformed',
    });
  });
});
