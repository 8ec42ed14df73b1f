/**
 * @module
 * `createPolicy`: validates a configuration once and answers every question against it.
 * Pure and synchronous: no I/O, no clock, no randomness; all facts come in as arguments.
 */

import type { FailureLimits, Method } from '@secondfactor/core';
import type { PolicyAction } from './actions';
import {
  canConfigureTenant,
  canDisableFor,
  canRequire,
  canReset,
  canSetMayToggle,
  canViewTwoFactorStatus,
} from './admin';
import { type MethodGuessBound, policyBruteForceBounds } from './bounds';
import {
  checkAction,
  checkActor,
  checkBoolean,
  checkContext,
  checkCount,
  checkDeviceChoice,
  checkMethod,
  checkPhoneFacts,
  checkSubject,
  checkTenant,
} from './check-inputs';
import type { PolicyConfig } from './config';
import type { Decision } from './decision';
import {
  type CodeFormat,
  codeFormat,
  failureLimits,
  type LifecycleSettings,
  lifecycleSettings,
  voiceDeliveryChannel,
} from './derived';
import { canAddMethod, canEnroll, canRemoveDevice, canReplaceDevice, type DeviceChoice } from './enroll';
import { type FreshAuthRequirement, freshAuthRequired } from './fresh';
import type { Actor, PolicyContext, Subject } from './inputs';
import { canUseMethod, type LoginRequirement, loginRequirement } from './login';
import { type MethodInfo, methodInfo } from './method-rules';
import { canRegenerateBackupCodes, canSkipPhoneVerification, type PhoneNumberFacts } from './recovery';
import { canDisable, canEnable, canResetOwn, canSkipSetup } from './self';
import { type PolicySettings, resolvePolicy } from './settings';
import { isOwner } from './standing';
import { assertValidPolicy } from './validate';

/**
 * A question about what an actor may do to a subject.
 *
 * @example
 * ```ts
 * import { createPolicy, accountAdmin, type Question } from '@secondfactor/policy';
 *
 * const question: Question = createPolicy(accountAdmin).canReset;
 * question(admin, subject, { now: clock() }).allowed;
 * ```
 */
export type Question = (actor: Actor, subject: Subject, ctx: PolicyContext) => Decision;
/**
 * A question about what an actor may do to a subject with one method.
 *
 * @example
 * ```ts
 * import { createPolicy, selfService, type MethodQuestion } from '@secondfactor/policy';
 *
 * const question: MethodQuestion = createPolicy(selfService).canEnroll;
 * question(actor, subject, 'totp', { now: clock() }).allowed;
 * ```
 */
export type MethodQuestion = (actor: Actor, subject: Subject, method: Method, ctx: PolicyContext) => Decision;
/**
 * A question about what an actor may do to one of the subject's devices.
 *
 * @example
 * ```ts
 * import { createPolicy, selfService, type DeviceQuestion } from '@secondfactor/policy';
 *
 * const question: DeviceQuestion = createPolicy(selfService).canReplaceDevice;
 * question(actor, subject, { method: 'totp', id: 'app-1' }, { now: clock() }).allowed;
 * ```
 */
export type DeviceQuestion = (
  actor: Actor,
  subject: Subject,
  device: DeviceChoice,
  ctx: PolicyContext,
) => Decision;

/**
 * A validated policy and every question it answers. Each answer is a {@link Decision} (or a
 * {@link LoginRequirement}) with a stable reason code; none throws for an ordinary "no". Every question
 * checks the facts it is given first: a missing, unknown or mistyped fact (a forgotten
 * `ctx.tenantFeatures`, an actor without `secondFactor`, a `graceStartedAt` read from the database as a
 * string) throws `SecondFactorError('invalid_argument')` naming it, and is never read as a weaker answer.
 *
 * @example
 * ```ts
 * import { createPolicy, selfService, type Policy } from '@secondfactor/policy';
 *
 * const policy: Policy = createPolicy(selfService);
 * policy.settings.attempts.maxFailures; // 5
 * policy.loginRequirement(subject, { now: clock() }).kind; // 'challenge' for an enrolled subject
 * ```
 */
export interface Policy {
  /** The configuration, as given. */
  readonly config: PolicyConfig;
  /** The configuration with defaults and compliance mode applied. */
  readonly settings: PolicySettings;
  /**
   * After the password: nothing, a set-up (maybe deferrable during a grace period), a challenge, or
   * `denied` (do not let this login through).
   */
  loginRequirement(subject: Subject, ctx: PolicyContext): LoginRequirement;
  /**
   * Whether the method (and the device, when `choice.id` names one) a login request picks is one this
   * login offers the subject: his own number or messenger account only (checklist K2, K3).
   */
  canUseMethod(subject: Subject, choice: DeviceChoice, ctx: PolicyContext): Decision;
  /**
   * The "Use 2FA" yes/no switch, whoever turns it which way: the owner on his own profile (where he may
   * toggle; switching off needs the password and a current second factor, H5), or an administrator of the
   * subject's tenant on another user's profile (yes: `admin.require`; no: `admin.disableFor`).
   */
  canSetUseTwoFactor(actor: Actor, subject: Subject, value: boolean, ctx: PolicyContext): Decision;
  /** An admin sets "Can toggle 2FA" for a user of his tenant (not himself, not an admin who always may). */
  canSetMayToggle: Question;
  /** An admin (or support) resets another user's 2FA: set-up again at the next login. Never oneself. */
  canReset: Question;
  /** A user who just passed his second factor resets it himself, e.g. to move to a new phone. */
  canResetOwn: Question;
  /** The owner, and only the owner, sets up a device of `method`. */
  canEnroll: MethodQuestion;
  /** The owner adds a method or device beside an active one (exclusive vs multi mode, device limits). */
  canAddMethod: MethodQuestion;
  /** The owner removes one of his devices ("Delete number"); removing the last one is switching 2FA off. */
  canRemoveDevice: DeviceQuestion;
  /** The owner replaces one of his devices by a new one of the same method ("Change number", G9). */
  canReplaceDevice: DeviceQuestion;
  /** The "Disable 2FA" button on the first-login set-up screen. */
  canSkipSetup: Question;
  /** The owner gets a new set of backup codes; needs a current code from a primary method (F6). */
  canRegenerateBackupCodes: Question;
  /** Whether the actor may see if the subject has 2FA (a user list's 2FA column). */
  canViewTwoFactorStatus: Question;
  /** A phone number another person of the same tenant verified needs no second verification. */
  canSkipPhoneVerification(
    actor: Actor,
    subject: Subject,
    phone: PhoneNumberFacts,
    ctx: PolicyContext,
  ): Decision;
  /**
   * An administrator changes his tenant's 2FA settings (methods on or off, the SMTP server). Record the
   * change with `tenantFeaturesChangeRecord`.
   */
  canConfigureTenant(actor: Actor, tenantId: string | undefined, ctx: PolicyContext): Decision;
  /** The proof of presence an action needs and how recent it must be. */
  freshAuthRequired(action: PolicyAction): FreshAuthRequirement;
  /** Restricted, fallback-only, a second factor at all. */
  methodInfo(method: Method): MethodInfo;
  /** Attempt limits in the store's shape (every field filled). */
  failureLimits(): Required<FailureLimits>;
  /** Digits, lifetime and attempt limit of a code of `method`. */
  codeFormat(method: Method): CodeFormat;
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
 * @throws {SecondFactorError} `invalid_policy` when {@link validatePolicy} finds a problem. Each question
 *   of the returned policy throws `invalid_argument` for a missing or malformed fact.
 * @example
 * ```ts
 * import { accountAdmin, createPolicy } from '@secondfactor/policy';
 *
 * const policy = createPolicy(accountAdmin);
 * const ctx = { now: Date.now() };
 * const admin = { id: 'a1', roles: ['admin'], tenantId: 'acme', reauthenticatedAt: ctx.now, secondFactor: null };
 * const user = {
 *   id: 'u1',
 *   roles: [],
 *   tenantId: 'acme',
 *   settings: { useTwoFactor: null, mayToggle: null, enrollment: 'active', devices: [{ method: 'totp' }], graceStartedAt: null },
 * } as const;
 * policy.canReset(admin, user, ctx); // { allowed: true, reason: 'tenant_admin' }
 * policy.canEnroll(admin, user, 'totp', ctx); // { allowed: false, reason: 'not_owner', ... }
 * ```
 */
export function createPolicy(config: PolicyConfig): Policy {
  assertValidPolicy(config);
  const s = resolvePolicy(config);
  // The facts of a question, checked before it is answered (check-inputs.ts).
  const facts = (actor: unknown, subject: unknown, ctx: unknown): void => {
    checkContext(s, ctx);
    checkActor(s, actor, ctx);
    checkSubject(s, subject, ctx);
  };
  const ask =
    (
      question: (settings: PolicySettings, actor: Actor, subject: Subject, ctx: PolicyContext) => Decision,
    ): Question =>
    (actor, subject, ctx) => {
      facts(actor, subject, ctx);
      return question(s, actor, subject, ctx);
    };
  const askMethod =
    (
      question: (settings: PolicySettings, a: Actor, sub: Subject, m: Method, ctx: PolicyContext) => Decision,
    ): MethodQuestion =>
    (actor, subject, method, ctx) => {
      facts(actor, subject, ctx);
      checkMethod('method', method);
      return question(s, actor, subject, method, ctx);
    };
  const askDevice =
    (
      question: (
        settings: PolicySettings,
        a: Actor,
        sub: Subject,
        d: DeviceChoice,
        ctx: PolicyContext,
      ) => Decision,
    ): DeviceQuestion =>
    (actor, subject, device, ctx) => {
      facts(actor, subject, ctx);
      checkDeviceChoice('device', device);
      return question(s, actor, subject, { method: device.method, id: device.id }, ctx);
    };
  return Object.freeze({
    config,
    settings: s,
    loginRequirement: (subject, ctx) => {
      checkContext(s, ctx);
      checkSubject(s, subject, ctx);
      return loginRequirement(s, subject, ctx);
    },
    canUseMethod: (subject, choice, ctx) => {
      checkContext(s, ctx);
      checkSubject(s, subject, ctx);
      checkDeviceChoice('choice', choice);
      return canUseMethod(s, subject, { method: choice.method, id: choice.id }, ctx);
    },
    canSetUseTwoFactor: (actor, subject, value, ctx) => {
      facts(actor, subject, ctx);
      if (typeof value !== 'boolean') checkBoolean('value', value);
      if (isOwner(actor, subject)) {
        return value ? canEnable(s, actor, subject, ctx) : canDisable(s, actor, subject, ctx);
      }
      return value ? canRequire(s, actor, subject, ctx) : canDisableFor(s, actor, subject, ctx);
    },
    canSetMayToggle: ask(canSetMayToggle),
    canReset: ask(canReset),
    canResetOwn: ask(canResetOwn),
    canEnroll: askMethod(canEnroll),
    canAddMethod: askMethod(canAddMethod),
    canRemoveDevice: askDevice(canRemoveDevice),
    canReplaceDevice: askDevice(canReplaceDevice),
    canSkipSetup: ask(canSkipSetup),
    canRegenerateBackupCodes: ask(canRegenerateBackupCodes),
    canViewTwoFactorStatus: ask(canViewTwoFactorStatus),
    canSkipPhoneVerification: (actor, subject, phone, ctx) => {
      facts(actor, subject, ctx);
      checkPhoneFacts(s, phone);
      return canSkipPhoneVerification(s, actor, subject, phone, ctx);
    },
    canConfigureTenant: (actor, tenantId, ctx) => {
      checkContext(s, ctx);
      checkActor(s, actor, ctx);
      checkTenant(s, 'tenantId', tenantId);
      return canConfigureTenant(s, actor, tenantId, ctx);
    },
    freshAuthRequired: (action) => {
      checkAction('action', action);
      return freshAuthRequired(s, action);
    },
    methodInfo: (method) => {
      checkMethod('method', method);
      return methodInfo(s, method);
    },
    failureLimits: () => failureLimits(s),
    codeFormat: (method) => {
      checkMethod('method', method);
      return codeFormat(s, method);
    },
    lifecycle: () => lifecycleSettings(s),
    voiceDeliveryChannel: (callsPlaced) => {
      checkCount('callsPlaced', callsPlaced);
      return voiceDeliveryChannel(s, callsPlaced);
    },
    bruteForceBounds: () => policyBruteForceBounds(s),
  } satisfies Policy);
}
