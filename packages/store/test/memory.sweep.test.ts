/**
 * The memory store's sweep writes its snapshot: what a sweep removed stays removed after a restart, and
 * what it kept loads again.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emailChallenge, freshId, randomDigest, trustedDevice } from '@secondfactor/store/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/index';

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('MemoryStore.sweepExpired with a snapshot file', () => {
  it('writes the removal to the snapshot; a store opened again holds only the live records', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sf-sweep-'));
    const file = join(dir, 'state.json');
    const store = await MemoryStore.open({ snapshotFile: file });
    const now = 1_700_000_000_000;
    const userId = freshId('user');
    const lapsed = emailChallenge(userId, now - 600_000, randomDigest(), { expiresAt: now });
    const live = emailChallenge(userId, now - 600_000, randomDigest(), { expiresAt: now + 1 });
    const device = trustedDevice(userId, now - 600_000, { expiresAt: now });
    for (const challenge of [lapsed, live]) await store.createChallenge(challenge);
    await store.addTrustedDevice(device);
    await store.registerFailure('user:a', {
      now: now - 1_000,
      limits: { maxFailures: 3, windowMs: 1_000, lockoutMs: 1 },
    });
    await store.registerFailure('user:b', {
      now: now - 999,
      limits: { maxFailures: 3, windowMs: 1_000, lockoutMs: 1 },
    });

    expect(await store.sweepExpired({ now })).toEqual({
      challenges: 1,
      pendingEnrollments: 0,
      trustedDevices: 1,
      failures: 1,
      more: false,
    });
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(lapsed.id);
    expect(text).not.toContain(device.id);
    expect(text).not.toContain('user:a');

    const reopened = await MemoryStore.open({ snapshotFile: file });
    expect(await reopened.getChallenge(userId, lapsed.id)).toBeNull();
    expect(await reopened.getChallenge(userId, live.id)).not.toBeNull();
    expect(await reopened.getFailures('user:a', { now: now - 1 })).toEqual({ count: 0, lockedUntil: null });
    expect(await reopened.getFailures('user:b', { now })).toEqual({ count: 1, lockedUntil: null });
    // Nothing lapsed is left: a second sweep removes nothing and does not write.
    expect(await reopened.sweepExpired({ now, limit: 1 })).toEqual({
      challenges: 0,
      pendingEnrollments: 0,
      trustedDevices: 0,
      failures: 0,
      more: false,
    });
  });

  it('counts exactly in one process: with limit 2 and three lapsed counters, more until the last is gone', async () => {
    const store = new MemoryStore();
    const limits = { maxFailures: 3, windowMs: 1_000, lockoutMs: 1 };
    for (const key of ['k1', 'k2', 'k3']) await store.registerFailure(key, { now: 0, limits });
    expect(await store.sweepExpired({ now: 1_000, limit: 2 })).toMatchObject({ failures: 2, more: true });
    expect(await store.sweepExpired({ now: 1_000, limit: 2 })).toMatchObject({ failures: 1, more: false });
  });
});
