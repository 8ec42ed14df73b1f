/**
 * @module
 * The one recipient a code e-mail goes to: a bare address, never a list or a display name.
 */

import { invalidArgument } from '../checks';

// A bare addr-spec (RFC 5322 §3.4.1) without quoted local parts or domain literals: no whitespace,
// no control characters, none of the specials that would let one string name several recipients
// (`,` `;`) or smuggle a display name or comment (`<` `>` `(` `)` `"` `:` `\` `[` `]`).
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const FORBIDDEN = /[\s\u0000-\u001f\u007f,;<>()":\\[\]]/;

/**
 * True when `value` is one bare e-mail address (`local@domain`): exactly one `@`, a local part of at
 * most 64 and an address of at most 254 characters, dot-separated non-empty labels, and none of the
 * characters that would make it a list of recipients or carry a display name.
 *
 * @example
 * ```ts
 * import { isEmailAddress } from '@secondfactor/channels';
 *
 * isEmailAddress('ada@example.com'); // true
 * isEmailAddress('ada@example.com, eve@example.net'); // false
 * ```
 */
export function isEmailAddress(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 254 || FORBIDDEN.test(value)) return false;
  const at = value.indexOf('@');
  if (at < 1 || at !== value.lastIndexOf('@') || at > 64) return false;
  const labels = (part: string): boolean => part.split('.').every((label) => label.length > 0);
  return labels(value.slice(0, at)) && labels(value.slice(at + 1));
}

/** Returns `value` when it is one bare e-mail address, else throws `invalid_argument` naming `name`. */
export function assertEmailAddress(value: unknown, name: string): string {
  if (!isEmailAddress(value)) throw invalidArgument(name, 'must be one bare e-mail address (local@domain)');
  return value;
}
