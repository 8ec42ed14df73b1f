/**
 * @module
 * The inputs every implementation gets (one secret, one list of instants, one wrong code) and a
 * reference HOTP built directly on `node:crypto`, checked against RFC 6238 Appendix B before use.
 */
import { createHash, createHmac } from 'node:crypto';

/** Time step in seconds (RFC 6238 §4.1 default X = 30). */
export const PERIOD = 30;
/** Code length used throughout. */
export const DIGITS = 6;
/** Number of distinct instants the timed loops cycle through (a power of two, indexed with `& MASK`). */
export const TIME_COUNT = 64;
/** `i & MASK` maps any loop counter onto an index into {@link TIMES_MS}. */
export const MASK: number = TIME_COUNT - 1;

/**
 * A 20-byte secret (the SHA-1 block-friendly length RFC 4226 §4 recommends), derived from a fixed label so
 * every run uses the same bytes without hard-coding key material.
 */
export const SECRET: Uint8Array = new Uint8Array(
  createHash('sha1').update('secondfactor bench secret').digest(),
);

/** The same secret as a Node Buffer, for the libraries that want one. */
export const SECRET_BUFFER: Buffer = Buffer.from(SECRET);
/** The same secret as lowercase hex, for speakeasy's `encoding: 'hex'`. */
export const SECRET_HEX: string = SECRET_BUFFER.toString('hex');

/**
 * The instants (Unix ms, whole seconds) the loops cycle through: 64 different time steps starting now,
 * each at a different offset inside its step. Varying the step defeats any per-step result cache, so
 * every call really computes its HMACs. Whole seconds keep the seconds-based APIs (otplib, speakeasy) exact.
 */
export const TIMES_MS: readonly number[] = (() => {
  const base = Math.floor(Date.now() / 1000 / PERIOD) * PERIOD;
  return Array.from({ length: TIME_COUNT }, (_, k) => (base + k * PERIOD + ((k * 7) % PERIOD)) * 1000);
})();
/** {@link TIMES_MS} in Unix seconds. */
export const TIMES_S: readonly number[] = TIMES_MS.map((t) => t / 1000);

/** RFC 6238 §4.2: T = floor((now − T0) / X), with T0 = 0. */
export function stepOf(timeMs: number): number {
  return Math.floor(timeMs / 1000 / PERIOD);
}

/**
 * Reference HOTP (RFC 4226 §5.3) with `node:crypto`: HMAC-SHA-1 over the 8-byte big-endian counter, dynamic
 * truncation, modulo 10^digits. Also the body of the `node:crypto` baseline.
 */
export function referenceHotp(key: Uint8Array, counter: number, digits: number = DIGITS): string {
  const msg = Buffer.allocUnsafe(8);
  msg.writeUInt32BE(Math.floor(counter / 0x1_0000_0000), 0);
  msg.writeUInt32BE(counter >>> 0, 4);
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return (binary % 10 ** digits).toString().padStart(digits, '0');
}

/** Throws unless the reference reproduces RFC 6238 Appendix B (SHA-1 rows; last 6 of the 8 digits too). */
export function checkReference(): void {
  const seed = new TextEncoder().encode('12345678901234567890');
  const vectors: ReadonlyArray<readonly [number, string]> = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];
  for (const [t, expected] of vectors) {
    const counter = Math.floor(t / PERIOD);
    const got8 = referenceHotp(seed, counter, 8);
    const got6 = referenceHotp(seed, counter, 6);
    if (got8 !== expected || got6 !== expected.slice(2)) {
      throw new Error(`reference HOTP disagrees with RFC 6238 App. B at T=${t}: ${got8} vs ${expected}`);
    }
  }
}

/**
 * A well-formed 6-digit code that matches no candidate step (step − 1 … step + 1) of any fixture instant,
 * nor any step from now − 1 to 20 minutes ahead (for `@oslojs/otp`, which reads the system clock).
 * With it every verifier takes its worst case: all three candidates computed, none matching.
 */
export function findWrongCode(): string {
  const taken = new Set<string>();
  const steps = new Set<number>();
  for (const t of TIMES_MS) for (const d of [-1, 0, 1]) steps.add(stepOf(t) + d);
  const now = stepOf(Date.now());
  for (let s = now - 1; s <= now + 40; s++) steps.add(s);
  for (const s of steps) taken.add(referenceHotp(SECRET, s));
  for (let n = 123456; ; n = (n + 7919) % 1_000_000) {
    const code = n.toString().padStart(DIGITS, '0');
    if (!taken.has(code)) return code;
  }
}
