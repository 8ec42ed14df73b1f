/**
 * @module
 * What the engine is asked about: the actor, the subject user and the context of the request.
 * Everything is plain data the host loads before asking; the engine never fetches anything.
 */

import type { Method, TwoFactorSwitch } from '@secondfactor/core';

/**
 * One enrolled credential: an authenticator app, a phone number, a linked messenger account, the current
 * set of backup codes. A user may hold several devices of one method where the policy allows it.
 *
 * @example
 * ```ts
 * import type { EnrolledDevice } from '@secondfactor/policy';
 *
 * // Loaded by the host into `Subject.settings.devices`.
 * const devices: EnrolledDevice[] = [
 *   { method: 'totp', id: 'app-1' },
 *   { method: 'sms', id: 'phone-7' },
 * ];
 * ```
 */
export interface EnrolledDevice {
  /** The method this device answers. */
  method: Method;
  /** The host's id of the device (credential id, phone id). Never a secret or a phone number in clear. */
  id?: string | undefined;
}

/**
 * Where the subject stands in enrollment.
 *
 * - `none`: never set up (or disabled).
 * - `pending`: set-up started, first code not yet confirmed (checklist H1).
 * - `active`: at least one confirmed device.
 * - `reset`: an admin or the user reset 2FA; a new set-up is due at the next login.
 *
 * @example
 * ```ts
 * import type { EnrollmentState } from '@secondfactor/policy';
 *
 * const enrollment: EnrollmentState = 'pending'; // set-up started, first code not yet confirmed
 * ```
 */
export type EnrollmentState = 'none' | 'pending' | 'active' | 'reset';

/**
 * The subject's stored 2FA settings, as the host keeps them.
 *
 * @example
 * ```ts
 * import type { SubjectSettings } from '@secondfactor/policy';
 *
 * const settings: SubjectSettings = {
 *   useTwoFactor: null, // follow the role, tenant and default rules
 *   mayToggle: null, // the policy's `self.defaultMayToggle`
 *   enrollment: 'active',
 *   devices: [{ method: 'totp', id: 'app-1' }],
 *   backupCodesRemaining: 10,
 *   graceStartedAt: null,
 * };
 * ```
 */
export interface SubjectSettings {
  /**
   * The "Use 2FA" switch of this user, as the store keeps it (`UserSettings.useTwoFactor`), whoever set
   * it (an admin, or the user where toggling is allowed): `true` requires 2FA for this user, `false` turns
   * it off (a non-waivable rule still requires it), `null` leaves the decision to the role, tenant and
   * default rules. Required: a forgotten switch would read as "follow the rules" and could lift a requirement.
   */
  useTwoFactor: TwoFactorSwitch;
  /** The "Can toggle 2FA" permission; `null` falls back to the policy's `self.defaultMayToggle`. Required. */
  mayToggle: boolean | null;
  /** Enrollment state. */
  enrollment: EnrollmentState;
  /**
   * Confirmed devices. Only devices the user confirmed belong here; backup codes are not a device (see
   * `backupCodesRemaining`).
   */
  devices: readonly EnrolledDevice[];
  /**
   * Unused backup codes of the user's current set (`BackupCodeSet.remaining` of the store; 0 without a
   * set). Required when the policy allows `backup_code`: they are a fallback because the user holds them.
   */
  backupCodesRemaining?: number | undefined;
  /**
   * When the current enrollment requirement first applied to this user (milliseconds since the epoch, not
   * after `ctx.now`). `null` means it starts now: persist `ctx.now` when the engine answers with
   * `graceStartsNow`. Required: a grace that was saved and then forgotten would restart at every login.
   */
  graceStartedAt: number | null;
}

/**
 * The user whose 2FA a question is about.
 *
 * @example
 * ```ts
 * import { createPolicy, selfService, type Subject } from '@secondfactor/policy';
 *
 * // `selfService` is single-tenant: no `tenantId`.
 * const subject: Subject = {
 *   id: 'u1',
 *   roles: [],
 *   settings: {
 *     useTwoFactor: null,
 *     mayToggle: null,
 *     enrollment: 'active',
 *     devices: [{ method: 'totp', id: 'app-1' }],
 *     backupCodesRemaining: 10,
 *     graceStartedAt: null,
 *   },
 * };
 * createPolicy(selfService).loginRequirement(subject, { now: clock() }).kind; // 'challenge'
 * ```
 */
export interface Subject {
  /** The host's user id. */
  id: string;
  /** The user's roles or groups (`[]` for none). */
  roles: readonly string[];
  /**
   * The tenant (account, organisation) the user belongs to: required by a multi-tenant policy, absent in a
   * single-tenant one (`tenancy: 'single'`).
   */
  tenantId?: string | undefined;
  /** Stored 2FA settings. */
  settings: SubjectSettings;
}

/**
 * A second factor the actor passed in this session: when, and with which method. A backup code or a
 * fallback-only method is a fallback proof; actions the policy lists in `freshAuth.primaryFactorFor` ask
 * for a primary one.
 *
 * @example
 * ```ts
 * import type { Actor, SecondFactorProof } from '@secondfactor/policy';
 *
 * // The user answered a TOTP challenge in this session.
 * const proof: SecondFactorProof = { at: clock(), method: 'totp' };
 * const actor: Actor = { id: 'u1', roles: [], reauthenticatedAt: null, secondFactor: proof };
 * ```
 */
export interface SecondFactorProof {
  /** When it was passed (milliseconds since the epoch, not after `ctx.now`). */
  at: number;
  /** The method that passed. */
  method: Method;
}

/**
 * The signed-in user who asks to do something.
 *
 * @example
 * ```ts
 * import { createPolicy, selfService, type Actor } from '@secondfactor/policy';
 *
 * const now = clock();
 * const actor: Actor = {
 *   id: 'u1',
 *   roles: [],
 *   reauthenticatedAt: now - 60_000, // password re-entered a minute ago
 *   secondFactor: { at: now - 60_000, method: 'totp' },
 * };
 * createPolicy(selfService).canRegenerateBackupCodes(actor, subject, { now }); // { allowed: true, reason: 'owner' }
 * ```
 */
export interface Actor {
  /** The host's user id. */
  id: string;
  /** The actor's roles or groups (`[]` for none). */
  roles: readonly string[];
  /** The tenant the actor belongs to: as {@link Subject.tenantId}. */
  tenantId?: string | undefined;
  /**
   * When the actor last proved the password in this session (milliseconds since the epoch, not after
   * `ctx.now`); `null` when he never re-entered it. Required: leaving it out is an error, not "no proof".
   */
  reauthenticatedAt: number | null;
  /** The last second factor passed in this session; `null` when none was. Required like `reauthenticatedAt`. */
  secondFactor: SecondFactorProof | null;
}

/**
 * Facts about the request that are neither actor nor subject.
 *
 * @example
 * ```ts
 * import { createPolicy, partnerPortal, type PolicyContext } from '@secondfactor/policy';
 *
 * // `partnerPortal` names tenant features in its rules, so `tenantFeatures` is required.
 * const ctx: PolicyContext = { now: clock(), tenantFeatures: ['partner', '2fa_totp'] };
 * createPolicy(partnerPortal).loginRequirement(subject, ctx);
 * ```
 */
export interface PolicyContext {
  /** Current time in milliseconds since the epoch, from the host's injected clock. */
  now: number;
  /**
   * Feature flags of the subject's tenant (e.g. `'partner'`, `'smtp'`). Required, as a list, by a policy
   * whose rules name features (`availableWithFeature`, `requirement.features`, `methods.requiresFeatures`).
   */
  tenantFeatures?: readonly string[] | undefined;
}
