/**
 * @module
 * What the engine is asked about: the actor, the subject user and the context of the request.
 * Everything is plain data the host loads before asking; the engine never fetches anything.
 */

import type { AdminSwitch, Method } from '@secondfactor/core';

/**
 * One enrolled credential: an authenticator app, a phone number, a linked messenger account, the current
 * set of backup codes. A user may hold several devices of one method where the policy allows it.
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
 */
export type EnrollmentState = 'none' | 'pending' | 'active' | 'reset';

/** The subject's stored 2FA settings, as the host keeps them. */
export interface SubjectSettings {
  /**
   * The admin's per-user "Use 2FA" switch, as the store keeps it (`UserSettings.requiredByAdmin`):
   * `true` requires 2FA for this user, `false` turns it off (a non-waivable rule still requires it),
   * `null` or absent leaves the decision to the role, tenant and default rules. Set by an admin, or by
   * the user where toggling is allowed.
   */
  requiredByAdmin?: AdminSwitch | undefined;
  /** The "Can toggle 2FA" permission. `undefined` falls back to the policy's `self.defaultMayToggle`. */
  mayToggle?: boolean | undefined;
  /** Enrollment state. */
  enrollment: EnrollmentState;
  /** Confirmed devices. Only devices the user confirmed belong here. */
  devices: readonly EnrolledDevice[];
  /**
   * When the current enrollment requirement first applied to this user (milliseconds since the epoch).
   * `undefined` means it starts now: persist `ctx.now` when the engine answers with `graceStartsNow`.
   */
  graceStartedAt?: number | undefined;
}

/** The user whose 2FA a question is about. */
export interface Subject {
  /** The host's user id. */
  id: string;
  /** The user's roles or groups. */
  roles: readonly string[];
  /** The tenant (account, organisation) the user belongs to. */
  tenantId?: string | undefined;
  /** Stored 2FA settings. */
  settings: SubjectSettings;
}

/** The signed-in user who asks to do something. */
export interface Actor {
  /** The host's user id. */
  id: string;
  /** The actor's roles or groups. */
  roles: readonly string[];
  /** The tenant the actor belongs to. */
  tenantId?: string | undefined;
  /** When the actor last proved the password in this session (milliseconds since the epoch). */
  reauthenticatedAt?: number | undefined;
  /** When the actor last passed a second factor in this session (milliseconds since the epoch). */
  secondFactorAt?: number | undefined;
}

/** Facts about the request that are neither actor nor subject. */
export interface PolicyContext {
  /** Current time in milliseconds since the epoch, from the host's injected clock. */
  now: number;
  /** Feature flags of the subject's tenant (e.g. `'partner'`, `'smtp'`). */
  tenantFeatures?: readonly string[] | undefined;
}
