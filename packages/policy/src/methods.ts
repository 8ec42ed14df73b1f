/**
 * @module
 * The second-factor methods the policy engine reasons about. The names are shared API: the service,
 * the channels and the stores use the same strings.
 */

/**
 * A second-factor method.
 *
 * - `totp` / `hotp`: authenticator-app codes (RFC 6238 / RFC 4226).
 * - `email`, `sms`, `voice`: a code delivered out of band (for `voice`, the caller number ends in it).
 * - `push`: approve the login on a linked device or messenger account.
 * - `backup_code`: a one-time recovery code issued on enable; never a method of its own.
 */
export type Method = 'totp' | 'hotp' | 'email' | 'sms' | 'voice' | 'push' | 'backup_code';

/**
 * Every {@link Method}, in a stable order (used when a policy lists methods back to a host).
 *
 * @example
 * ```ts
 * import { METHODS } from '@secondfactor/policy';
 *
 * METHODS.includes('sms'); // true
 * ```
 */
export const METHODS: readonly Method[] = Object.freeze([
  'totp',
  'hotp',
  'email',
  'sms',
  'voice',
  'push',
  'backup_code',
]);

/**
 * True when `value` is one of the {@link METHODS} strings. Use it on method names that come from a request
 * before asking the engine about them (checklist K3).
 *
 * @example
 * ```ts
 * import { isMethod } from '@secondfactor/policy';
 *
 * isMethod('totp'); // true
 * isMethod('carrier-pigeon'); // false
 * ```
 */
export function isMethod(value: unknown): value is Method {
  return typeof value === 'string' && (METHODS as readonly string[]).includes(value);
}

/**
 * @internal Methods whose code travels over the phone network. NIST SP 800-63B §5.1.3.3 calls them restricted:
 * usable, but never the only option a user has.
 */
export const PHONE_METHODS: readonly Method[] = Object.freeze(['sms', 'voice']);

/** @internal Methods whose code is typed by the user and therefore subject to the brute-force bound. */
export const CODE_METHODS: readonly Method[] = Object.freeze(['totp', 'hotp', 'email', 'sms', 'voice']);
