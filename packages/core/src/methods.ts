/**
 * @module
 * The second-factor methods: one union shared by the store's records, the policy engine and every
 * service above them.
 */

/**
 * A second-factor method. The store's records (`CredentialRecord.kind`, `ChallengeRecord.kind`) and the
 * policy engine use the same strings.
 *
 * - `totp`: authenticator-app codes by time step (RFC 6238).
 * - `hotp`: authenticator-app codes by counter (RFC 4226).
 * - `email`: a code delivered by e-mail.
 * - `sms`: a code delivered by text message.
 * - `voice`: a code delivered by a phone call (or the caller number ends in it).
 * - `push`: approve the login on a linked device or messenger account.
 * - `backup_code`: a one-time recovery code issued on enable. Never a method of its own and never a
 *   credential: the store keeps backup codes as a set (`BackupCodeSet`) and refuses a credential of
 *   this kind; the policy reasons about it beside the others.
 *
 * @example
 * ```ts
 * import type { Method } from '@secondfactor/core';
 *
 * const outOfBand: Method[] = ['email', 'sms', 'voice', 'push'];
 * ```
 */
export type Method = 'totp' | 'hotp' | 'email' | 'sms' | 'voice' | 'push' | 'backup_code';

/**
 * Every {@link Method}, in a stable order (used when a list of methods goes back to a host).
 *
 * @example
 * ```ts
 * import { METHODS } from '@secondfactor/core';
 *
 * METHODS.includes('sms'); // true
 * ```
 */
export const METHODS: readonly Method[] = /* @__PURE__ */ Object.freeze([
  'totp',
  'hotp',
  'email',
  'sms',
  'voice',
  'push',
  'backup_code',
]);

/**
 * True when `value` is one of the {@link METHODS} strings. Use it on method names that come from a
 * request before acting on them (checklist K3).
 *
 * @example
 * ```ts
 * import { isMethod } from '@secondfactor/core';
 *
 * isMethod('totp'); // true
 * isMethod('carrier-pigeon'); // false
 * ```
 */
export function isMethod(value: unknown): value is Method {
  return typeof value === 'string' && (METHODS as readonly string[]).includes(value);
}
