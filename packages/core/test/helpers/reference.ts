/**
 * @module
 * An independent HOTP/TOTP written in the test from RFC 4226 §5.3 on top of `node:crypto`, so the
 * engine is compared against code that shares nothing with it but the standard.
 */

import { createHmac } from 'node:crypto';
import type { Algorithm } from '@secondfactor/core';

const NODE_NAME: Record<Algorithm, string> = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

/** HMAC(secret, 8-byte big-endian counter) by `node:crypto`. */
export function referenceHmac(
  secret: Uint8Array,
  counter: bigint,
  algorithm: Algorithm = 'SHA1',
): Uint8Array {
  const message = new Uint8Array(8);
  new DataView(message.buffer).setBigUint64(0, counter, false);
  return new Uint8Array(createHmac(NODE_NAME[algorithm], secret).update(message).digest());
}

/** RFC 4226 §5.3 dynamic truncation, written from the RFC's own description. */
export function referenceTruncate(hmac: Uint8Array): number {
  const offset = hmac[hmac.length - 1]! & 0xf;
  const view = new DataView(hmac.buffer, hmac.byteOffset, hmac.byteLength);
  return view.getUint32(offset, false) & 0x7fffffff;
}

/** The HOTP code of `counter`. */
export function referenceHotp(
  secret: Uint8Array,
  counter: bigint,
  algorithm: Algorithm = 'SHA1',
  digits = 6,
): string {
  const value = BigInt(referenceTruncate(referenceHmac(secret, counter, algorithm))) % 10n ** BigInt(digits);
  return value.toString().padStart(digits, '0');
}

/** The TOTP code at `timeMs` with period 30 s and T0 = 0, unless given. */
export function referenceTotp(
  secret: Uint8Array,
  timeMs: number,
  algorithm: Algorithm = 'SHA1',
  digits = 6,
  period = 30,
  epoch = 0,
): string {
  const step = BigInt(Math.floor(timeMs / 1000) - epoch) / BigInt(period);
  return referenceHotp(secret, step, algorithm, digits);
}
