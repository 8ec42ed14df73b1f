/**
 * E1: registerFailure mirrors nextFailureCounter exactly. The server computes every lockout length as
 * `min(lockoutMs × factor^n, cap)` in exact numeric arithmetic; these tests hold it to the memory
 * store's value for every whole factor the contract allows, over many lockouts of one key, up to the
 * longest cap the contract accepts (MAX_DURATION), and for keys locked so often that the power would not fit any number type.
 */
import type { FailureLimits } from '@secondfactor/core';
import { MAX_DURATION } from '@secondfactor/store';
import { type FailureCounter, nextFailureCounter } from '@secondfactor/store/adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/index';
import { newPGlite, pgliteClient } from './helpers';

const db = newPGlite();
const sql = pgliteClient(db);
const store = PostgresStore.fromPGlite(db, { schema: 'sf' });
beforeAll(() => store.migrate());
afterAll(() => db.close());

/** Locks `key` `times` times in a row (one failure each, maxFailures 1), comparing every answer with the model. */
async function lockRepeatedly(key: string, limits: FailureLimits, times: number): Promise<void> {
  let model: FailureCounter | null = null;
  let now = 1_700_000_000_000;
  for (let lockout = 0; lockout < times; lockout++) {
    model = nextFailureCounter(model, now, limits);
    const state = await store.registerFailure(key, { now, limits });
    expect(state, `lockout ${lockout}`).toEqual({ count: model.count, lockedUntil: model.lockedUntil });
    // The next failure comes the moment the lock lapses, so every failure is a new lockout.
    now = model.lockedUntil ?? now + 1;
  }
}

/**
 * Stores a counter with `lockouts` earlier lockouts and nothing pending, as the adapter would have left
 * it, so one failure at `now = 0` locks for exactly the length of lockout number `lockouts`.
 */
async function plant(key: string, lockouts: number): Promise<FailureCounter> {
  await sql.query(
    `INSERT INTO sf.failures (key, count, window_ends_at, locked_until, lockouts) VALUES ($1, 0, 0, NULL, $2)
     ON CONFLICT (key) DO UPDATE SET count = 0, window_ends_at = 0, locked_until = NULL, lockouts = $2`,
    [key, lockouts],
  );
  return { count: 0, windowEndsAt: 0, lockedUntil: null, lockouts };
}

describe('backoff arithmetic', () => {
  for (let factor = 2; factor <= 10; factor++) {
    it(`E1: backoff factor ${factor}: 60 lockouts of one key, every length equals the memory store's`, async () => {
      for (const lockoutMs of [1, 997, 30_000]) {
        const limits = {
          maxFailures: 1,
          windowMs: 1_000,
          lockoutMs,
          backoffFactor: factor,
          maxLockoutMs: MAX_DURATION,
        };
        await lockRepeatedly(`k-${factor}-${lockoutMs}`, limits, 60);
      }
    });
  }

  it('E1: factor 1 keeps every lockout at lockoutMs', async () => {
    await lockRepeatedly(
      'k-one',
      { maxFailures: 1, windowMs: 1_000, lockoutMs: 30_000, backoffFactor: 1, maxLockoutMs: MAX_DURATION },
      60,
    );
  });

  it('E1: lengths up to the longest cap the contract accepts (MAX_DURATION) are exact for factors 2–10 and 0–60 earlier lockouts', async () => {
    // The whole range the cap allows: lengths of up to 12 digits, then the cap itself.
    for (let factor = 2; factor <= 10; factor++) {
      for (const lockoutMs of [1, 997]) {
        const limits = {
          maxFailures: 1,
          windowMs: 1,
          lockoutMs,
          backoffFactor: factor,
          maxLockoutMs: MAX_DURATION,
        };
        for (let lockouts = 0; lockouts <= 60; lockouts++) {
          const key = `exact-${factor}-${lockoutMs}-${lockouts}`;
          const model = nextFailureCounter(await plant(key, lockouts), 0, limits);
          const state = await store.registerFailure(key, { now: 0, limits });
          expect(state.lockedUntil, `${lockoutMs} × ${factor}^${lockouts}`).toBe(model.lockedUntil);
        }
      }
    }
  });

  it('E1: a key locked two billion times locks for the cap: the power never overflows', async () => {
    for (const factor of [1, 2, 10]) {
      const limits = {
        maxFailures: 1,
        windowMs: 1,
        lockoutMs: 5,
        backoffFactor: factor,
        maxLockoutMs: 60_000,
      };
      const key = `huge-${factor}`;
      const model = nextFailureCounter(await plant(key, 2_000_000_000), 100, limits);
      expect(await store.registerFailure(key, { now: 100, limits })).toEqual({
        count: 1,
        lockedUntil: model.lockedUntil,
      });
      expect(model.lockedUntil).toBe(factor === 1 ? 105 : 60_100);
    }
  });

  it('E1: a cap reached early stays the length of every later lockout', async () => {
    await lockRepeatedly(
      'k-cap',
      { maxFailures: 1, windowMs: 1, lockoutMs: 1_000, backoffFactor: 2, maxLockoutMs: 5_000 },
      12,
    );
  });
});
