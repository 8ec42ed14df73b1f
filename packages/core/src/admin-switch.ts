/**
 * @module
 * The administrator's per-user "Use 2FA" switch, as the store keeps it and the policy reads it.
 */

/**
 * The administrator's per-user switch ("Use 2FA: yes / no / default"):
 *
 * - `true`: 2FA is required for this user by an administrator.
 * - `false`: 2FA is switched off (waived) for this user; a rule the policy marks non-waivable still
 *   requires it.
 * - `null`: no per-user choice; the policy's role, tenant and default rules decide. An absent value
 *   (`undefined`) means the same.
 *
 * Stored as `UserSettings.requiredByAdmin` (`@secondfactor/store`), read as
 * `SubjectSettings.requiredByAdmin` (`@secondfactor/policy`).
 *
 * @example
 * ```ts
 * import type { AdminSwitch } from '@secondfactor/core';
 *
 * const followPolicy: AdminSwitch = null;
 * ```
 */
export type AdminSwitch = boolean | null;
