/**
 * @module
 * The answer to every question: allowed or not, a stable reason code and optional structured detail.
 * Hosts log the reason, switch on it and translate it; it never carries secret material.
 */

import type { Method } from '@secondfactor/core';
import type { FreshProof, PolicyAction } from './actions';

/**
 * Every reason a {@link Decision} or a {@link LoginRequirement} can carry. Stable API: add, never rename.
 *
 * @example
 * ```ts
 * import type { ReasonCode } from '@secondfactor/policy';
 *
 * const messages: Partial<Record<ReasonCode, string>> = {
 *   fresh_auth_required: 'Please confirm it is you.',
 *   device_limit_reached: 'You cannot add another device of this kind.',
 * };
 * ```
 */
export type ReasonCode =
  // allowed
  | 'owner'
  | 'tenant_admin'
  | 'support_role'
  | 'method_usable'
  | 'phone_verified_in_tenant'
  // who may act
  | 'not_owner'
  | 'not_admin'
  | 'different_tenant'
  | 'self_target'
  | 'self_reset_forbidden'
  | 'subject_is_admin'
  | 'action_not_offered'
  | 'toggle_not_permitted'
  | 'fresh_auth_required'
  // requirements that cannot be lifted
  | 'required_by_role'
  | 'required_by_tenant'
  | 'required_by_default'
  // state
  | 'feature_unavailable'
  | 'already_enabled'
  | 'not_enabled'
  | 'not_enrolled'
  | 'setup_complete'
  | 'backup_codes_disabled'
  | 'phone_verification_required'
  | 'fallback_would_be_alone'
  | 'exclusive_method_active'
  | 'device_limit_reached'
  | 'method_already_enrolled'
  | 'device_not_found'
  // methods
  | 'method_not_allowed'
  | 'method_unavailable_for_tenant'
  | 'method_forbidden_for_role'
  | 'method_forbidden_by_compliance'
  | 'method_not_mfa_factor'
  | 'method_fallback_only'
  | 'method_not_enrollable'
  | 'method_not_enrolled'
  | 'method_not_offered'
  // login requirement
  | 'not_required'
  | 'disabled_for_user'
  | 'skipped_by_role'
  | 'skipped_by_tenant'
  | 'enrolled'
  | 'method_without_enrollment'
  | 'required_by_user_setting'
  | 'reset_pending'
  | 'no_usable_method';

/**
 * Structured, non-secret facts behind a decision.
 *
 * @example
 * ```ts
 * import { createPolicy, multiMethod } from '@secondfactor/policy';
 *
 * const decision = createPolicy(multiMethod).canAddMethod(actor, subject, 'totp', { now: clock() });
 * if (decision.reason === 'device_limit_reached') decision.detail?.limit; // 5
 * ```
 */
export interface DecisionDetail {
  /** The method the decision is about. */
  method?: Method | undefined;
  /** The action whose fresh-authentication rule applied. */
  action?: PolicyAction | undefined;
  /** The proof the actor must give again. */
  proof?: FreshProof | undefined;
  /** How recent that proof must be. */
  maxAgeSeconds?: number | undefined;
  /** The second factor must come from a primary method: a backup code or a fallback does not count. */
  primaryFactor?: boolean | undefined;
  /** A limit that was reached (devices per method). */
  limit?: number | undefined;
  /** The methods currently active (exclusive mode). */
  activeMethods?: readonly Method[] | undefined;
  /** The tenant feature that is missing. */
  feature?: string | undefined;
  /** The role or feature of the rule that decided. */
  rule?: string | undefined;
}

/**
 * The answer to one question of the engine.
 *
 * @example
 * ```ts
 * import { createPolicy, selfService } from '@secondfactor/policy';
 *
 * const decision = createPolicy(selfService).canRegenerateBackupCodes(actor, user, { now: Date.now() });
 * if (!decision.allowed) log.info('backup codes refused', { reason: decision.reason });
 * ```
 */
export interface Decision {
  /** Whether the actor may go ahead. */
  allowed: boolean;
  /** Why; stable across versions. */
  reason: ReasonCode;
  /** Structured facts for the host (what to ask for, which limit). */
  detail?: DecisionDetail | undefined;
}

/** @internal An allowing decision. */
export function allow(reason: ReasonCode, detail?: DecisionDetail): Decision {
  return detail === undefined ? { allowed: true, reason } : { allowed: true, reason, detail };
}

/** @internal A refusing decision. */
export function deny(reason: ReasonCode, detail?: DecisionDetail): Decision {
  return detail === undefined ? { allowed: false, reason } : { allowed: false, reason, detail };
}
