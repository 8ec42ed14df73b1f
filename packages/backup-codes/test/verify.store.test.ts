import { type BackupCodeEvent, normalizeBackupCode, verifyAndConsume } from '@secondfactor/backup-codes';
import { SecondFactorError } from '@secondfactor/core';
import { MemoryStore } from '@secondfactor/store';
import { describe, expect, it, vi } from 'vitest';
import { hasher, NOW, newUser, setup, spellings } from './fixtures';

describe('verifyAndConsume on MemoryStore', () => {
  it('D4: 50 concurrent verifications of one code yield exactly one success and 9 codes left', async () => {
    const { store, userId, codes } = await setup();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => verifyAndConsume(store, userId, codes[0], { hasher, now: NOW })),
    );
    const successes = results.filter((result) => result.valid);
    expect(successes).toHaveLength(1);
    expect(successes[0]).toMatchObject({ valid: true, remaining: 9 });
    expect(results.filter((result) => !result.valid && result.reason === 'mismatch')).toHaveLength(49);
    expect((await store.getBackupCodeSet(userId))?.remaining).toBe(9);
  });

  it('D4: 5 concurrent submissions of each of the 10 codes consume every code exactly once', async () => {
    const { store, userId, codes } = await setup();
    const attempts = codes.flatMap((code) => Array.from({ length: 5 }, () => code));
    const results = await Promise.all(
      attempts.map((code) => verifyAndConsume(store, userId, code, { hasher, now: NOW })),
    );
    expect(results.filter((result) => result.valid)).toHaveLength(10);
    // The rest fail: 'mismatch' while codes are left, 'no_codes' once the set is empty.
    expect(results.filter((result) => !result.valid && result.reason !== 'malformed')).toHaveLength(40);
    expect((await store.getBackupCodeSet(userId))?.remaining).toBe(0);
  });

  it('F3: a used code is rejected on reuse', async () => {
    const { store, userId, codes } = await setup();
    expect(await verifyAndConsume(store, userId, codes[3], { hasher, now: NOW })).toMatchObject({
      valid: true,
    });
    expect(await verifyAndConsume(store, userId, codes[3], { hasher, now: NOW })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('F8: accepts the code as a user types it (lower case, spaces, look-alikes) because it normalises first', async () => {
    const { store, userId, codes } = await setup();
    const typed = ` ${codes[0]!.toLowerCase().replaceAll('-', ' ').replaceAll('0', 'o').replaceAll('1', 'l')} `;
    expect(await verifyAndConsume(store, userId, typed, { hasher, now: NOW })).toMatchObject({ valid: true });
  });

  it('F9: input holding two valid codes is malformed, consumes nothing, and both codes still work', async () => {
    const { store, userId, codes } = await setup();
    for (const separator of [' ', '\n', ',', '']) {
      const result = await verifyAndConsume(store, userId, `${codes[0]}${separator}${codes[1]}`, {
        hasher,
        now: NOW,
      });
      expect(result).toEqual({ valid: false, reason: 'malformed' });
    }
    expect((await store.getBackupCodeSet(userId))?.remaining).toBe(10);
    expect(await verifyAndConsume(store, userId, codes[0], { hasher, now: NOW })).toMatchObject({
      valid: true,
    });
    expect(await verifyAndConsume(store, userId, codes[1], { hasher, now: NOW })).toMatchObject({
      valid: true,
    });
  });

  it('malformed input never reaches the store', async () => {
    const { store, userId } = await setup();
    const consume = vi.spyOn(store, 'consumeBackupCode');
    for (const input of ['', 'not a code', null, 12345, ['x']]) {
      expect(await verifyAndConsume(store, userId, input, { hasher, now: NOW })).toEqual({
        valid: false,
        reason: 'malformed',
      });
    }
    expect(consume).not.toHaveBeenCalled();
  });

  it('reports no_codes for a user without a set and after the last code is used', async () => {
    const store = new MemoryStore();
    const [code] = (await setup({ store })).codes;
    expect(await verifyAndConsume(store, newUser(), code, { hasher, now: NOW })).toEqual({
      valid: false,
      reason: 'no_codes',
    });
    const { userId, codes } = await setup({ store });
    for (const each of codes) await verifyAndConsume(store, userId, each, { hasher, now: NOW });
    expect(await verifyAndConsume(store, userId, codes[0], { hasher, now: NOW })).toEqual({
      valid: false,
      reason: 'no_codes',
    });
  });

  it('codes are bound to their user: another user cannot use them', async () => {
    const store = new MemoryStore();
    const alice = await setup({ store });
    const bob = await setup({ store });
    expect(await verifyAndConsume(store, bob.userId, alice.codes[0], { hasher, now: NOW })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    expect(await verifyAndConsume(store, alice.userId, alice.codes[0], { hasher, now: NOW })).toMatchObject({
      valid: true,
    });
  });

  it('flags low once at most lowWatermark codes are left (default 3)', async () => {
    const { store, userId, codes } = await setup();
    const low: Array<[number, boolean]> = [];
    for (const code of codes) {
      const result = await verifyAndConsume(store, userId, code, { hasher, now: NOW });
      if (result.valid) low.push([result.remaining, result.low]);
    }
    expect(low).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((left) => [left, left <= 3]));
    const other = await setup({ store });
    const result = await verifyAndConsume(store, other.userId, other.codes[0], {
      hasher,
      now: NOW,
      lowWatermark: 9,
    });
    expect(result).toMatchObject({ valid: true, remaining: 9, low: true });
  });

  it('F7: a used code emits backup_code.used with the count left and no code, digest or salt', async () => {
    const { store, userId, codes } = await setup();
    const events: BackupCodeEvent[] = [];
    const result = await verifyAndConsume(store, userId, codes[0], {
      hasher,
      now: NOW,
      onEvent: (event) => {
        events.push(event);
      },
    });
    expect(events).toEqual([{ type: 'backup_code.used', userId, remaining: 9, at: NOW }]);
    expect(result.valid && result.event).toEqual(events[0]);
    const digest = await hasher.digest(userId, normalizeBackupCode(codes[0])!, undefined);
    const json = JSON.stringify(events);
    for (const text of [...spellings(codes[0]!), digest]) expect(json).not.toContain(text);
  });

  it('a failed attempt emits nothing', async () => {
    const { store, userId } = await setup();
    const onEvent = vi.fn();
    await verifyAndConsume(store, userId, 'ZZZZ-ZZZZ-ZZZZ-ZZZZ', { hasher, now: NOW, onEvent });
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('rejects bad arguments with invalid_argument before touching the store', async () => {
    const { store, userId, codes } = await setup();
    const bad = [
      () => verifyAndConsume(store, '', codes[0], { hasher, now: NOW }),
      () => verifyAndConsume(store, userId, codes[0], { hasher, now: -1 }),
      () => verifyAndConsume(store, userId, codes[0], { hasher, now: NOW, lowWatermark: -1 }),
      () => verifyAndConsume(store, userId, codes[0], { hasher: {} as never, now: NOW }),
      () => verifyAndConsume(store, userId, codes[0], { hasher, now: NOW, length: 4 }),
    ];
    for (const call of bad) {
      await expect(call()).rejects.toSatisfy(
        (error) => error instanceof SecondFactorError && error.code === 'invalid_argument',
      );
    }
    expect((await store.getBackupCodeSet(userId))?.remaining).toBe(10);
  });
});
