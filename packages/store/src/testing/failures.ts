/**
 * @module
 * Conformance: attempt counters and lockouts (checklist E1, E6). The expected values come from
 * `nextFailureCounter` / `readFailureState`, so an adapter that mirrors them in SQL or Lua is checked
 * against the reference arithmetic over random sequences of times and limits.
 */

import type { FailureLimits } from '@secondfactor/core';
import { expect, it } from 'vitest';
import { type FailureCounter, nextFailureCounter, readFailureState } from '../failures';
import { MAX_DURATION, MAX_TIME } from '../limits';
import { freshId, type SuiteContext } from './fixtures';

const pickOne = <T>(values: readonly T[]): T => values[Math.floor(Math.random() * values.length)] as T;
const between = (low: number, high: number): number => low + Math.floor(Math.random() * (high - low + 1));

function randomLimits(): FailureLimits {
  const lockoutMs = between(1, 20_000);
  const limits: FailureLimits = { maxFailures: between(1, 6), windowMs: between(1, 10_000), lockoutMs };
  // Whole factors only (the contract refuses others): lockoutMs × factor^n is then an exact integer in
  // every backend, and a power past the cap picks the cap.
  const factor = pickOne([undefined, 1, 2, 3, 7, 10]);
  if (factor !== undefined) limits.backoffFactor = factor;
  if (Math.random() < 0.5) limits.maxLockoutMs = lockoutMs + between(0, 100_000);
  return limits;
}

/** Registers the attempt-counter tests. */
export function failureTests(ctx: SuiteContext): void {
  it('a key never seen reads as no failures', async () => {
    expect(await ctx.store.getFailures(freshId('key'), { now: ctx.t0 })).toEqual({
      count: 0,
      lockedUntil: null,
    });
  });

  it('E1: counts failures and locks at maxFailures for lockoutMs', async () => {
    const key = freshId('key');
    const limits = { maxFailures: 3, windowMs: 60_000, lockoutMs: 300_000 };
    expect(await ctx.store.registerFailure(key, { now: ctx.t0, limits })).toEqual({
      count: 1,
      lockedUntil: null,
    });
    expect(await ctx.store.registerFailure(key, { now: ctx.t0 + 10, limits })).toEqual({
      count: 2,
      lockedUntil: null,
    });
    expect(await ctx.store.getFailures(key, { now: ctx.t0 + 20 })).toEqual({ count: 2, lockedUntil: null });
    expect(await ctx.store.registerFailure(key, { now: ctx.t0 + 30, limits })).toEqual({
      count: 3,
      lockedUntil: ctx.t0 + 300_030,
    });
    expect(await ctx.store.getFailures(key, { now: ctx.t0 + 300_029 })).toEqual({
      count: 3,
      lockedUntil: ctx.t0 + 300_030,
    });
  });

  it('E1: failures during a lockout are counted and do not extend it; the lock lapses at lockedUntil', async () => {
    const key = freshId('key');
    const limits = { maxFailures: 2, windowMs: 60_000, lockoutMs: 1_000 };
    await ctx.store.registerFailure(key, { now: ctx.t0, limits });
    expect(await ctx.store.registerFailure(key, { now: ctx.t0, limits })).toEqual({
      count: 2,
      lockedUntil: ctx.t0 + 1_000,
    });
    expect(await ctx.store.registerFailure(key, { now: ctx.t0 + 999, limits })).toEqual({
      count: 3,
      lockedUntil: ctx.t0 + 1_000,
    });
    expect(await ctx.store.getFailures(key, { now: ctx.t0 + 1_000 })).toEqual({
      count: 0,
      lockedUntil: null,
    });
    expect(await ctx.store.registerFailure(key, { now: ctx.t0 + 1_000, limits })).toEqual({
      count: 1,
      lockedUntil: null,
    });
  });

  it('a lapsed window reads as zero and counting restarts from the next failure', async () => {
    const key = freshId('key');
    const limits = { maxFailures: 3, windowMs: 1_000, lockoutMs: 5_000 };
    await ctx.store.registerFailure(key, { now: ctx.t0, limits });
    await ctx.store.registerFailure(key, { now: ctx.t0 + 500, limits });
    expect(await ctx.store.getFailures(key, { now: ctx.t0 + 999 })).toEqual({ count: 2, lockedUntil: null });
    expect(await ctx.store.getFailures(key, { now: ctx.t0 + 1_000 })).toEqual({
      count: 0,
      lockedUntil: null,
    });
    expect(await ctx.store.registerFailure(key, { now: ctx.t0 + 1_000, limits })).toEqual({
      count: 1,
      lockedUntil: null,
    });
  });

  it('each further lockout lasts backoffFactor times longer, capped at maxLockoutMs', async () => {
    const key = freshId('key');
    const limits = {
      maxFailures: 1,
      windowMs: 1_000,
      lockoutMs: 1_000,
      backoffFactor: 2,
      maxLockoutMs: 5_000,
    };
    let now = ctx.t0;
    const durations: number[] = [];
    for (let i = 0; i < 5; i++) {
      const state = await ctx.store.registerFailure(key, { now, limits });
      durations.push((state.lockedUntil ?? now) - now);
      now = state.lockedUntil ?? now;
    }
    expect(durations).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('E6: clearing forgets failures, lockout and backoff of that key only', async () => {
    const [key, other] = [freshId('key'), freshId('key')];
    const limits = {
      maxFailures: 1,
      windowMs: 1_000,
      lockoutMs: 1_000,
      backoffFactor: 2,
      maxLockoutMs: 60_000,
    };
    await ctx.store.registerFailure(key, { now: ctx.t0, limits });
    await ctx.store.registerFailure(key, { now: ctx.t0 + 1_000, limits });
    await ctx.store.registerFailure(other, { now: ctx.t0, limits });
    await ctx.store.clearFailures(key);
    expect(await ctx.store.getFailures(key, { now: ctx.t0 + 1_001 })).toEqual({
      count: 0,
      lockedUntil: null,
    });
    expect(await ctx.store.registerFailure(key, { now: ctx.t0 + 1_001, limits })).toEqual({
      count: 1,
      lockedUntil: ctx.t0 + 2_001,
    });
    expect(await ctx.store.getFailures(other, { now: ctx.t0 + 1 })).toEqual({
      count: 1,
      lockedUntil: ctx.t0 + 1_000,
    });
    await ctx.store.clearFailures(freshId('key'));
  });

  it('E1: the lockout arithmetic never leaves the time range: a lock that would end after MAX_TIME ends at MAX_TIME', async () => {
    const key = freshId('key');
    const limits: FailureLimits = {
      maxFailures: 2,
      windowMs: MAX_DURATION,
      lockoutMs: MAX_DURATION,
      backoffFactor: 10,
      maxLockoutMs: MAX_DURATION,
    };
    const now = MAX_TIME - 1_000;
    expect(await ctx.store.registerFailure(key, { now, limits })).toEqual({ count: 1, lockedUntil: null });
    expect(await ctx.store.registerFailure(key, { now: now + 1, limits })).toEqual({
      count: 2,
      lockedUntil: MAX_TIME,
    });
    expect(await ctx.store.registerFailure(key, { now: now + 2, limits })).toEqual({
      count: 3,
      lockedUntil: MAX_TIME,
    });
    expect(await ctx.store.getFailures(key, { now: MAX_TIME - 1 })).toEqual({
      count: 3,
      lockedUntil: MAX_TIME,
    });
    expect(await ctx.store.getFailures(key, { now: MAX_TIME })).toEqual({ count: 0, lockedUntil: null });
    // The reference agrees, window included.
    let model: FailureCounter | null = null;
    for (const at of [now, now + 1, now + 2]) model = nextFailureCounter(model, at, limits);
    expect(model).toEqual({ count: 3, windowEndsAt: MAX_TIME, lockedUntil: MAX_TIME, lockouts: 1 });
    // A store opened again over the same backend (a durable one) still reads what was stored.
    const again = await ctx.reopen?.();
    if (again !== undefined) {
      expect(await again.getFailures(key, { now: MAX_TIME - 1 })).toEqual({
        count: 3,
        lockedUntil: MAX_TIME,
      });
    }
  });

  it('E1: matches nextFailureCounter / readFailureState over random sequences of times and limits', async () => {
    for (let trial = 0; trial < 12; trial++) {
      const key = freshId('key');
      const limits = randomLimits();
      let model: FailureCounter | null = null;
      let now = ctx.t0 + between(0, 1_000);
      for (let step = 0; step < 25; step++) {
        now += pickOne([
          0,
          1,
          between(0, limits.windowMs),
          between(0, 2 * limits.lockoutMs),
          between(0, 30_000),
        ]);
        if (Math.random() < 0.08) {
          await ctx.store.clearFailures(key);
          model = null;
          continue;
        }
        model = nextFailureCounter(model, now, limits);
        const context = `trial ${trial} step ${step} limits ${JSON.stringify(limits)}`;
        expect(await ctx.store.registerFailure(key, { now, limits }), context).toEqual({
          count: model.count,
          lockedUntil: model.lockedUntil,
        });
        const probe = now + pickOne([0, 1, between(0, 2 * limits.lockoutMs)]);
        expect(await ctx.store.getFailures(key, { now: probe }), `${context} probe +${probe - now}`).toEqual(
          readFailureState(model, probe),
        );
      }
    }
  });
}
