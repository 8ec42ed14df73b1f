/**
 * @module
 * Memory-store primitives for attempt counters: the reference arithmetic of `failures.ts`
 * (`nextFailureCounter`, `readFailureState`) run directly on the stored counter.
 */

import type { CheckedRegisterFailureOptions } from '../../adapter/operations';
import { type FailureCounter, nextFailureCounter, readFailureState } from '../../failures';
import type { FailureState } from '../../records';
import type { NowOptions } from '../../store-types';
import type { MemoryCore } from '../core';

export async function registerFailure(
  core: MemoryCore,
  key: string,
  { now, limits }: CheckedRegisterFailureOptions,
): Promise<FailureState> {
  await core.ready();
  const next: FailureCounter = nextFailureCounter(core.state.failures.get(key) ?? null, now, limits);
  core.state.failures.set(key, next);
  await core.persist();
  return { count: next.count, lockedUntil: next.lockedUntil };
}

export async function getFailures(core: MemoryCore, key: string, { now }: NowOptions): Promise<FailureState> {
  await core.ready();
  return readFailureState(core.state.failures.get(key) ?? null, now);
}

export async function clearFailures(core: MemoryCore, key: string): Promise<void> {
  await core.ready();
  if (core.state.failures.delete(key)) await core.persist();
}
