/**
 * @module
 * The actions a policy governs, and the proof of presence each may demand (fresh authentication).
 */

/**
 * Something an actor asks to do. The names match the engine's questions (`canReset` → `'reset'`).
 *
 * @example
 * ```ts
 * import { createPolicy, selfService, type PolicyAction } from '@secondfactor/policy';
 *
 * const action: PolicyAction = 'regenerate_backup_codes';
 * createPolicy(selfService).freshAuthRequired(action).proof; // 'second_factor'
 * ```
 */
export type PolicyAction =
  | 'require'
  | 'set_may_toggle'
  | 'enable'
  | 'disable'
  | 'disable_for'
  | 'reset'
  | 'reset_own'
  | 'enroll'
  | 'add_method'
  | 'remove_method'
  | 'replace_device'
  | 'skip_setup'
  | 'regenerate_backup_codes'
  | 'view_status'
  | 'change_policy'
  | 'configure_tenant';

/**
 * What the actor must have proved recently before an action.
 *
 * - `none`: the signed-in session is enough.
 * - `password`: a password re-entry within `maxAgeSeconds`.
 * - `second_factor`: a second factor passed within `maxAgeSeconds`.
 * - `password_and_second_factor`: both.
 *
 * A second-factor proof is only asked of an actor who can give one: when the actor acts on his own account
 * and has no active 2FA yet, the second-factor part is dropped.
 *
 * @example
 * ```ts
 * import { createPolicy, type FreshProof } from '@secondfactor/policy';
 *
 * const proof: FreshProof = 'password_and_second_factor';
 * createPolicy({ methods: { allowed: ['totp'] }, freshAuth: { proof: { reset: proof } } });
 * ```
 */
export type FreshProof = 'none' | 'password' | 'second_factor' | 'password_and_second_factor';

/**
 * The proof each action asks for when a policy says nothing else.
 *
 * - disabling 2FA: password and a current second factor (checklist H5),
 * - adding, removing or replacing a device (a new phone number): a current second factor (H4, G9),
 * - regenerating backup codes: a current second factor (F6), from a primary method (see
 *   `freshAuth.primaryFactorFor`),
 * - switching 2FA on for oneself: nothing beyond the signed-in session (the set-up itself proves a code),
 * - admin actions on other users, tenant settings and policy changes: a password re-entry.
 *
 * @example
 * ```ts
 * import { DEFAULT_FRESH_PROOF } from '@secondfactor/policy';
 *
 * DEFAULT_FRESH_PROOF.disable; // 'password_and_second_factor'
 * ```
 */
export const DEFAULT_FRESH_PROOF: Readonly<Record<PolicyAction, FreshProof>> = Object.freeze({
  require: 'password',
  set_may_toggle: 'password',
  enable: 'none',
  disable: 'password_and_second_factor',
  disable_for: 'password',
  reset: 'password',
  reset_own: 'second_factor',
  enroll: 'none',
  add_method: 'second_factor',
  remove_method: 'second_factor',
  replace_device: 'second_factor',
  skip_setup: 'none',
  regenerate_backup_codes: 'second_factor',
  view_status: 'none',
  change_policy: 'password',
  configure_tenant: 'password',
});
