/**
 * @module
 * The memory store's `failLogin`: the audit id checked, then every counter, the challenge's attempt and
 * the audit record written with no `await` in between, so the step is one (the contract, store.ts).
 */

import type { CheckedFailLoginOptions } from '../../adapter/operations';
import { nextFailureCounter } from '../../failures';
import type { FailureState } from '../../records';
import type { FailLoginResult } from '../../store-types';
import { failLoginAuditData } from '../../validate-fail-login';
import { conflict, type MemoryCore } from '../core';
import { ownChallenge } from './challenges';

export async function failLogin(
  core: MemoryCore,
  userId: string,
  challengeId: string | null,
  { now, keys, limits, audit }: CheckedFailLoginOptions,
): Promise<FailLoginResult> {
  await core.ready();
  const { state } = core;
  // The log is append-only: a known id refuses the whole step, before anything is counted.
  if (state.auditIds.has(audit.id)) conflict('options.audit.id');
  // E1, E2: each key counted as registerFailure counts it.
  const states: FailureState[] = keys.map((key) => {
    const next = nextFailureCounter(state.failures.get(key) ?? null, now, limits);
    state.failures.set(key, next);
    return { count: next.count, lockedUntil: next.lockedUntil };
  });
  // As a consumeChallenge that does not match: only an open challenge with attempts left counts.
  const challenge = challengeId === null ? undefined : ownChallenge(core, userId, challengeId);
  if (
    challenge !== undefined &&
    challenge.consumedAt === undefined &&
    now < challenge.expiresAt &&
    challenge.attempts < challenge.maxAttempts
  ) {
    challenge.attempts += 1;
  }
  // Read before the persist's await, after which other calls may count on.
  const attempts = challenge?.attempts ?? null;
  const event = { ...audit, data: failLoginAuditData(audit.data, states, now) };
  state.audit.push(event);
  state.auditIds.add(event.id);
  await core.persist();
  return { states, attempts };
}
