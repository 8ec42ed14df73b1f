/**
 * @module
 * `createPolicy`: validates a configuration once and answers every question against it.
 * Pure and synchronous: no I/O, no clock, no randomness; all facts come in as arguments.
 */

import type { FailureLimits, Method } from '@secondfactor/core';
import type { PolicyAction } from './actions';
import { canDisableFor, canRequire, canReset, canSetMayToggle, canViewTwoFactorStatus } from './admin';
import { type MethodGuessBound, policyBruteForceBounds } from './bounds';
import type { PolicyConfig } from './config';
import type { Decision } from './decision';
import {
  codeTtlSeconds,
  failureLimits,
  type LifecycleSettings,
  lifecycleSettings,
  voiceDeliveryChannel,
} from './derived';
import { canAddMethod, canEnroll, canRemoveMethod } from './enroll';
import { type FreshAuthRequirement, freshAuthRequired } from './fresh';
import type { Actor, PolicyContext, Subject } from './inputs';
import { canUseMethod, type LoginRequirement, loginRequirement } from './login';
import { type MethodInfo, methodInfo } from './method-rules';
import { canRegenerateBackupCodes, canSkipPhoneVerification, type PhoneNumberFacts } from './recovery';
import { canDisable, canEnable, canResetOwn, canSkipSetup } from './self';
import { type PolicySettings, resolvePolicy } from './settings';
import { assertValidPolicy } from './validate';

/** A question about what an actor may do to a subject. */
export type Question = (actor: Actor, subject: Subject, ctx: PolicyContext) => Decision;
/** A question about what an actor may do to a subject with one method. */
export type MethodQuestion = (actor: Actor, subject: Subject, method: Method, ctx: PolicyContext) => Decision;

/**
 * A validated policy and every question it answers. Each answer is a {@link Decision} (or a
 * {@link LoginRequirement}) with a stable reason code; none throws for an ordinary "no".
 */
export interface Policy {
  /** The configuration, as given. */
  readonly config: PolicyConfig;
  /** The configuration with defaults and compliance mode applied. */
  readonly settings: PolicySettings;
  /** After the password: nothing, a set-up (maybe deferrable during a grace period) or a challenge. */
  loginRequirement(subject: Subject, ctx: PolicyContext): LoginRequirement;
  /** Whether the method a request names is one this login offers the subject (checklist K2, K3). */
  canUseMethod(subject: Subject, method: Method, ctx: PolicyContext): Decision;
  /** An admin sets "Use 2FA: yes" for a user of his tenant. */
  canRequire: Question;
  /** An admin sets "Can toggle 2FA" for a user of his tenant (not himself, not an admin who always may). */
  canSetMayToggle: Question;
  /** The user switches 2FA on for himself. */
  canEnable: Question;
  /** The user switches 2FA off for himself; needs password and a current second factor (H5). */
  canDisable: Question;
  /** An admin switches 2FA off for another user of his tenant. */
  canDisableFor: Question;
  /** An admin (or support) resets another user's 2FA: set-up again at the next login. Never oneself. */
  canReset: Question;
  /** A user who just passed his second factor resets it himself, e.g. to move to a new phone. */
  canResetOwn: Question;
  /** The owner, and only the owner, sets up a device of `method`. */
  canEnroll: MethodQuestion;
  /** The owner adds a method or device beside an active one (exclusive vs multi mode, device limits). */
  canAddMethod: MethodQuestion;
  /** The owner removes one device of `method`; removing the last one is disabling 2FA. */
  canRemoveMethod: MethodQuestion;
  /** The "Disable 2FA" button on the first-login set-up screen. */
  canSkipSetup: Question;
  /** The owner gets a new set of backup codes; needs a current second factor (F6). */
  canRegenerateBackupCodes: Question;
  /** Whether the actor may see if the subject has 2FA (a user list's 2FA column). */
  canViewTwoFactorStatus: Question;
  /** A phone number another person of the same tenant verified needs no second verification. */
  canSkipPhoneVerification(actor: Actor, subject: Subject, phone: PhoneNumberFacts): Decision;
  /** The proof of presence an action needs and how recent it must be. */
  freshAuthRequired(action: PolicyAction): FreshAuthRequirement;
  /** Restricted, fallback-only, a second factor at all. */
  methodInfo(method: Method): MethodInfo;
  /** Attempt limits in the store's shape (every field filled). */
  failureLimits(): Required<FailureLimits>;
  /** Lifetime of a code of `method` in seconds. */
  codeTtlSeconds(method: Method): number | undefined;
  /** Backup codes and session revocation around enable and disable. */
  lifecycle(): LifecycleSettings;
  /** Voice call or SMS for the next voice code of a login. */
  voiceDeliveryChannel(callsPlaced: number): 'voice' | 'sms';
  /** s·v/10^d per code method, worst first (E10). */
  bruteForceBounds(): MethodGuessBound[];
}

/**
 * Validates `config` (throwing `SecondFactorError('invalid_policy')` on any problem) and returns the
 * engine that answers every question against it.
 *
 * @throws {SecondFactorError} `invalid_policy` when {@link validatePolicy} finds a problem.
 * @example
 * ```ts
 * import { accountAdmin, createPolicy } from '@secondfactor/policy';
 *
 * const policy = createPolicy(accountAdmin);
 * const ctx = { now: Date.now() };
 * const admin = { id: 'a1', roles: ['admin'], tenantId: 'acme', reauthenticatedAt: ctx.now };
 * const user = { id: 'u1', roles: [], tenantId: 'acme', settings: { enrollment: 'active', devices: [{ method: 'totp' }] } } as const;
 * policy.canReset(admin, user, ctx); // { allowed: true, reason: 'tenant_admin' }
 * policy.canEnroll(admin, user, 'totp', ctx); // { allowed: false, reason: 'not_owner', ... }
 * ```
 */
export function createPolicy(config: PolicyConfig): Policy {
  assertValidPolicy(config);
  const s = resolvePolicy(config);
  return Object.freeze({
    config,
    settings: s,
    loginRequirement: (subject, ctx) => loginRequirement(s, subject, ctx),
    canUseMethod: (subject, method, ctx) => canUseMethod(s, subject, method, ctx),
    canRequire: (actor, subject, ctx) => canRequire(s, actor, subject, ctx),
    canSetMayToggle: (actor, subject, ctx) => canSetMayToggle(s, actor, subject, ctx),
    canEnable: (actor, subject, ctx) => canEnable(s, actor, subject, ctx),
    canDisable: (actor, subject, ctx) => canDisable(s, actor, subject, ctx),
    canDisableFor: (actor, subject, ctx) => canDisableFor(s, actor, subject, ctx),
    canReset: (actor, subject, ctx) => canReset(s, actor, subject, ctx),
    canResetOwn: (actor, subject, ctx) => canResetOwn(s, actor, subject, ctx),
    canEnroll: (actor, subject, method, ctx) => canEnroll(s, actor, subject, method, ctx),
    canAddMethod: (actor, subject, method, ctx) => canAddMethod(s, actor, subject, method, ctx),
    canRemoveMethod: (actor, subject, method, ctx) => canRemoveMethod(s, actor, subject, method, ctx),
    canSkipSetup: (actor, subject, ctx) => canSkipSetup(s, actor, subject, ctx),
    canRegenerateBackupCodes: (actor, subject, ctx) => canRegenerateBackupCodes(s, actor, subject, ctx),
    canViewTwoFactorStatus: (actor, subject, ctx) => canViewTwoFactorStatus(s, actor, subject, ctx),
    canSkipPhoneVerification: (actor, subject, phone) => canSkipPhoneVerification(s, actor, subject, phone),
    freshAuthRequired: (action) => freshAuthRequired(s, action),
    methodInfo: (method) => methodInfo(s, method),
    failureLimits: () => failureLimits(s),
    codeTtlSeconds: (method) => codeTtlSeconds(s, method),
    lifecycle: () => lifecycleSettings(s),
    voiceDeliveryChannel: (callsPlaced) => voiceDeliveryChannel(s, callsPlaced),
    bruteForceBounds: () => policyBruteForceBounds(s),
  } satisfies Policy);
}
