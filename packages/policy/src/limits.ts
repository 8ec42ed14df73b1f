/**
 * @module
 * The hard limits `validatePolicy` holds every configuration to. The OTP limits come from
 * `@secondfactor/core`, the single source of truth; the delivery and attempt limits are the policy's own.
 */

import {
  MAX_DIGITS,
  MAX_LOOK_AHEAD,
  MAX_SECRET_BYTES,
  MAX_WINDOW,
  MIN_DIGITS,
  MIN_SECRET_BYTES,
} from '@secondfactor/core';

/**
 * The limits no policy may exceed.
 *
 * @example
 * ```ts
 * import { POLICY_LIMITS, type PolicyLimits } from '@secondfactor/policy';
 *
 * const limits: PolicyLimits = POLICY_LIMITS;
 * limits.minSecretBytes; // 16
 * limits.maxFailureLimit; // 100
 * ```
 */
export interface PolicyLimits {
  /** Largest TOTP window on either side (RFC 6238 §5.2; checklist C2). */
  readonly maxWindow: number;
  /** Largest HOTP look-ahead (RFC 4226 §7.4; checklist C6). */
  readonly maxLookAhead: number;
  /** Fewest digits of any code (RFC 4226 §5.3; NIST SP 800-63B §5.1.3.2; checklist G1). */
  readonly minDigits: number;
  /** Most digits of any code. */
  readonly maxDigits: number;
  /**
   * Fewest digits of a flash-call code carried in the calling number (checklist G1): compliance `none`
   * only, and only while the bound with that method's attempt limit stays within `maxGuessProbability`.
   */
  readonly minFlashCallDigits: number;
  /** Longest duration (attempt windows, lockouts, grace periods): ten years of 365 days, the store's `MAX_DURATION`. */
  readonly maxDurationSeconds: number;
  /** Shortest secret, 128 bits (RFC 4226 R6; checklist B2). */
  readonly minSecretBytes: number;
  /** Longest generated secret. */
  readonly maxSecretBytes: number;
  /** Longest life of an e-mail / SMS / voice code or a push request (NIST SP 800-63B §5.1.3.2; checklist G2). */
  readonly maxCodeTtlSeconds: number;
  /** Highest consecutive-failure limit (NIST SP 800-63B §5.2.2; checklist E1). */
  readonly maxFailureLimit: number;
}

/**
 * The limits no policy may exceed, whatever a preset or a host configures.
 *
 * @example
 * ```ts
 * import { POLICY_LIMITS } from '@secondfactor/policy';
 *
 * POLICY_LIMITS.maxWindow; // 10
 * POLICY_LIMITS.maxCodeTtlSeconds; // 600
 * ```
 */
export const POLICY_LIMITS: PolicyLimits = Object.freeze({
  maxWindow: MAX_WINDOW,
  maxLookAhead: MAX_LOOK_AHEAD,
  minDigits: MIN_DIGITS,
  maxDigits: MAX_DIGITS,
  minFlashCallDigits: 4,
  maxDurationSeconds: 315_360_000,
  minSecretBytes: MIN_SECRET_BYTES,
  maxSecretBytes: MAX_SECRET_BYTES,
  maxCodeTtlSeconds: 600,
  maxFailureLimit: 100,
});
