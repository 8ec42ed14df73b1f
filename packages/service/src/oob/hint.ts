/**
 * @module
 * Masked destinations: what a login screen, a device list and an event show of an address or number.
 * An address is personal data, not a secret, but the full value is shown nowhere after it was entered:
 * the user recognises his own from the hint, and a stranger learns little.
 */
import type { OobMethod } from './codes';

/**
 * `a***@example.com` for an e-mail address; the country code and the last two digits of a number,
 * in groups: `+49 *** *** **12`. @internal
 */
export function addressHint(method: OobMethod, address: string): string {
  if (method === 'email') {
    const at = address.lastIndexOf('@');
    return `${address.slice(0, Math.min(1, at))}***${address.slice(at)}`;
  }
  const digits = address.slice(1);
  // Country codes have one to three digits; the first two (one for short numbers) tell most apart. The
  // mask has one length, so the hint does not tell the number's length either.
  const country = digits.slice(0, digits.length > 10 ? 2 : 1);
  return `+${country} *** *** **${digits.slice(-2)}`;
}
