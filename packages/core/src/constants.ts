/**
 * @module
 * The limits and defaults of the OTP engine: the single source of truth other packages (policy,
 * service) read instead of repeating numbers.
 */

/**
 * The HMAC hash functions of RFC 6238 §1.2 and the Key URI `algorithm` parameter.
 *
 * @example
 * ```ts
 * import type { Algorithm } from '@secondfactor/core';
 *
 * const algorithm: Algorithm = 'SHA256';
 * ```
 */
export type Algorithm = 'SHA1' | 'SHA256' | 'SHA512';

/**
 * Every supported {@link Algorithm}, in the order of their HMAC output length.
 *
 * @example
 * ```ts
 * import { ALGORITHMS } from '@secondfactor/core';
 *
 * ALGORITHMS.includes('SHA256'); // true
 * ```
 */
export const ALGORITHMS: readonly Algorithm[] = /* @__PURE__ */ Object.freeze([
  'SHA1',
  'SHA256',
  'SHA512',
] as const);

/**
 * HMAC output length in bytes of each algorithm: the recommended secret length for it
 * (RFC 4226 R6 asks for at least 128 bits and recommends 160, RFC 6238 §5.1 the HMAC output length).
 *
 * @example
 * ```ts
 * import { HASH_OUTPUT_BYTES } from '@secondfactor/core';
 *
 * HASH_OUTPUT_BYTES.SHA512; // 64
 * ```
 */
export const HASH_OUTPUT_BYTES: Readonly<Record<Algorithm, number>> = /* @__PURE__ */ Object.freeze({
  SHA1: 20,
  SHA256: 32,
  SHA512: 64,
});

/**
 * Default algorithm, the one every authenticator app supports.
 *
 * @example
 * ```ts
 * import { DEFAULT_ALGORITHM } from '@secondfactor/core';
 *
 * DEFAULT_ALGORITHM; // 'SHA1'
 * ```
 */
export const DEFAULT_ALGORITHM: Algorithm = 'SHA1';

/**
 * Fewest digits of a code. RFC 4226 §5.3 requires at least 6 (checklist A9).
 *
 * @example
 * ```ts
 * import { MIN_DIGITS } from '@secondfactor/core';
 *
 * MIN_DIGITS; // 6
 * ```
 */
export const MIN_DIGITS = 6;

/**
 * Most digits of a code: checklist A9 and the Key URI format allow 6 to 8. Longer codes add little:
 * dynamic truncation yields 31 bits (RFC 4226 §5.3), below 2^31 ≈ 2.1·10^9, so a 10-digit code could
 * only start with 0, 1 or 2.
 *
 * @example
 * ```ts
 * import { MAX_DIGITS } from '@secondfactor/core';
 *
 * MAX_DIGITS; // 8
 * ```
 */
export const MAX_DIGITS = 8;

/**
 * Default number of digits (RFC 4226 §5.3, Key URI default).
 *
 * @example
 * ```ts
 * import { DEFAULT_DIGITS } from '@secondfactor/core';
 *
 * DEFAULT_DIGITS; // 6
 * ```
 */
export const DEFAULT_DIGITS = 6;

/**
 * Default TOTP time step X in seconds (RFC 6238 §5.2 recommends 30).
 *
 * @example
 * ```ts
 * import { DEFAULT_PERIOD } from '@secondfactor/core';
 *
 * DEFAULT_PERIOD; // 30
 * ```
 */
export const DEFAULT_PERIOD = 30;

/**
 * Largest TOTP window on either side of the current step. RFC 6238 §5.2 recommends at most one
 * step of network delay; anything beyond ten steps (five minutes at 30 s) is a configuration error
 * (checklist C2).
 *
 * @example
 * ```ts
 * import { MAX_WINDOW } from '@secondfactor/core';
 *
 * MAX_WINDOW; // 10
 * ```
 */
export const MAX_WINDOW = 10;

/**
 * Default TOTP window: one step back and one step ahead (RFC 6238 §5.2, §6; checklist C1).
 *
 * @example
 * ```ts
 * import { DEFAULT_WINDOW } from '@secondfactor/core';
 *
 * DEFAULT_WINDOW; // 1
 * ```
 */
export const DEFAULT_WINDOW = 1;

/**
 * Largest HOTP look-ahead s (RFC 4226 §7.4: keep the resynchronisation window small).
 * Equal to {@link MAX_WINDOW}, so one limit bounds every code an attempt can match.
 *
 * @example
 * ```ts
 * import { MAX_LOOK_AHEAD } from '@secondfactor/core';
 *
 * MAX_LOOK_AHEAD; // 10
 * ```
 */
export const MAX_LOOK_AHEAD = 10;

/**
 * Default HOTP look-ahead: the stored counter and the two after it (an unnoticed button press or two).
 *
 * @example
 * ```ts
 * import { DEFAULT_LOOK_AHEAD } from '@secondfactor/core';
 *
 * DEFAULT_LOOK_AHEAD; // 2
 * ```
 */
export const DEFAULT_LOOK_AHEAD = 2;

/**
 * Shortest secret in bytes generated or imported without the legacy opt-in: 128 bits (RFC 4226 R6;
 * checklist B2).
 *
 * @example
 * ```ts
 * import { MIN_SECRET_BYTES } from '@secondfactor/core';
 *
 * MIN_SECRET_BYTES; // 16
 * ```
 */
export const MIN_SECRET_BYTES = 16;

/**
 * Default generated secret length in bytes: 160 bits, the SHA-1 output length (RFC 4226 R6).
 *
 * @example
 * ```ts
 * import { DEFAULT_SECRET_BYTES } from '@secondfactor/core';
 *
 * DEFAULT_SECRET_BYTES; // 20
 * ```
 */
export const DEFAULT_SECRET_BYTES = 20;

/**
 * Longest secret `generateSecret` produces: 128 bytes, the SHA-512 block size. RFC 2104 §2 hashes a
 * longer key down first, so more bytes would add no strength.
 *
 * @example
 * ```ts
 * import { MAX_SECRET_BYTES } from '@secondfactor/core';
 *
 * MAX_SECRET_BYTES; // 128
 * ```
 */
export const MAX_SECRET_BYTES = 128;

/**
 * Largest HOTP counter: 8 bytes unsigned (RFC 4226 §5.1, C is an 8-byte counter), 2^64 − 1.
 *
 * @example
 * ```ts
 * import { MAX_COUNTER } from '@secondfactor/core';
 *
 * MAX_COUNTER; // 18446744073709551615n
 * ```
 */
export const MAX_COUNTER: bigint = 0xffff_ffff_ffff_ffffn;

/**
 * Longest `otpauth://` URI `parseKeyUri` reads and `buildKeyUri` writes, in UTF-16 code units. A real
 * provisioning URI is well under 300; a QR code holds at most 2953 bytes.
 *
 * @example
 * ```ts
 * import { MAX_KEY_URI_LENGTH } from '@secondfactor/core';
 *
 * MAX_KEY_URI_LENGTH; // 2048
 * ```
 */
export const MAX_KEY_URI_LENGTH = 2048;
