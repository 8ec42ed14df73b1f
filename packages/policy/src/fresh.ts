/**
 * @module
 * Fresh authentication: which proof of presence an action needs and whether the actor gave it recently
 * (checklist H4, H5, F6, G9, E9).
 */

import type { FreshProof, PolicyAction } from './actions';
import { type Decision, deny } from './decision';
import type { Actor, PolicyContext } from './inputs';
import { isPrimary } from './method-rules';
import type { PolicySettings } from './settings';

/**
 * The proof an action needs and how recent it must be.
 *
 * @example
 * ```ts
 * import { createPolicy, selfService } from '@secondfactor/policy';
 *
 * createPolicy(selfService).freshAuthRequired('disable');
 * // { action: 'disable', proof: 'password_and_second_factor', maxAgeSeconds: 300 }
 * ```
 */
export interface FreshAuthRequirement {
  action: PolicyAction;
  /** What the actor must have proved. */
  proof: FreshProof;
  /** How old that proof may be. */
  maxAgeSeconds: number;
}

/** @internal See `Policy.freshAuthRequired`. */
export function freshAuthRequired(settings: PolicySettings, action: PolicyAction): FreshAuthRequirement {
  return { action, proof: settings.freshAuth.proof[action], maxAgeSeconds: settings.freshAuth.maxAgeSeconds };
}

// Inputs are checked first (check-inputs.ts): a proof is never after `ctx.now`.
const recent = (at: number | null | undefined, ctx: PolicyContext, maxAgeSeconds: number): boolean =>
  at !== null && at !== undefined && ctx.now - at <= maxAgeSeconds * 1000;

/**
 * @internal A refusal when the actor's proof for `action` is missing or stale, `undefined` when it is
 * recent enough. `canProveSecondFactor` is false for an actor with no active 2FA of his own: he is asked
 * for the password part only.
 */
export function staleProof(
  settings: PolicySettings,
  actor: Actor,
  action: PolicyAction,
  ctx: PolicyContext,
  canProveSecondFactor: boolean,
): Decision | undefined {
  const need = freshAuthRequired(settings, action);
  const wantsPassword = need.proof === 'password' || need.proof === 'password_and_second_factor';
  const wantsSecond =
    canProveSecondFactor && (need.proof === 'second_factor' || need.proof === 'password_and_second_factor');
  const passwordOk = !wantsPassword || recent(actor.reauthenticatedAt, ctx, need.maxAgeSeconds);
  const primaryOnly = settings.freshAuth.primaryFactorFor.includes(action);
  const passed = actor.secondFactor;
  const secondOk =
    !wantsSecond ||
    (passed !== null &&
      recent(passed.at, ctx, need.maxAgeSeconds) &&
      (!primaryOnly || isPrimary(settings, passed.method)));
  if (passwordOk && secondOk) return undefined;
  const proof: FreshProof =
    !passwordOk && !secondOk ? 'password_and_second_factor' : passwordOk ? 'second_factor' : 'password';
  return deny('fresh_auth_required', {
    action,
    proof,
    maxAgeSeconds: need.maxAgeSeconds,
    ...(wantsSecond && primaryOnly ? { primaryFactor: true } : {}),
  });
}
