/**
 * @module
 * A user's "Use 2FA" switch, as the store keeps it and the policy reads it.
 */

/**
 * A user's "Use 2FA" switch ("yes / no / default"), whoever set it: an administrator on the user's
 * profile, or the user himself where the policy lets him toggle 2FA.
 *
 * - `true`: 2FA is required for this user.
 * - `false`: 2FA is switched off (waived) for this user; a rule the policy marks non-waivable still
 *   requires it.
 * - `null`: no per-user choice; the policy's role, tenant and default rules decide. An absent value
 *   (`undefined`) means the same.
 *
 * Stored as `UserSettings.useTwoFactor` (`@secondfactor/store`), read as
 * `SubjectSettings.useTwoFactor` (`@secondfactor/policy`).
 *
 * @example
 * ```ts
 * import type { TwoFactorSwitch } from '@secondfactor/core';
 *
 * const followPolicy: TwoFactorSwitch = null;
 * ```
 */
export type TwoFactorSwitch = boolean | null;
