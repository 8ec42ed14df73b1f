/**
 * @module
 * The brute-force bound of RFC 4226 §6: an attacker who may try v codes, each checked against s
 * accepted values of d digits, succeeds with probability at most s·v/10^d (checklist E10).
 */

import type { Method } from '@secondfactor/core';
import type { PolicySettings } from './settings';

/**
 * The three numbers of the bound.
 *
 * @example
 * ```ts
 * import { bruteForceBound, type GuessBoundInput } from '@secondfactor/policy';
 *
 * const input: GuessBoundInput = { acceptedValues: 3, attempts: 5, digits: 6 };
 * bruteForceBound(input); // 0.000015
 * ```
 */
export interface GuessBoundInput {
  /** s: values accepted per attempt (TOTP window past + future + 1, HOTP look-ahead + 1, one live code). */
  acceptedValues: number;
  /** v: attempts before the lockout. */
  attempts: number;
  /** d: digits per code. */
  digits: number;
}

/**
 * s·v/10^d, the chance that guessing finds a valid code before the lockout (RFC 4226 §6).
 *
 * @example
 * ```ts
 * import { bruteForceBound } from '@secondfactor/policy';
 *
 * bruteForceBound({ acceptedValues: 3, attempts: 5, digits: 6 }); // 0.000015
 * ```
 */
export function bruteForceBound(input: GuessBoundInput): number {
  return (input.acceptedValues * input.attempts) / 10 ** input.digits;
}

/**
 * The bound for one method of a policy.
 *
 * @example
 * ```ts
 * import { createPolicy, selfService } from '@secondfactor/policy';
 *
 * for (const bound of createPolicy(selfService).bruteForceBounds()) {
 *   console.log(bound.method, bound.probability); // totp 0.000025
 * }
 * ```
 */
export interface MethodGuessBound extends GuessBoundInput {
  method: Method;
  /** s·v/10^d. */
  probability: number;
}

/**
 * The bound of every code method a policy allows, worst first. The attempts are the policy's failure
 * limit for app codes (per lockout period; a patient attacker gets one such budget per period) and the
 * challenge's attempt limit for delivered codes (per code sent).
 * Push approvals and backup codes carry no typed short code and are not listed.
 *
 * @example
 * ```ts
 * import { createPolicy, selfService } from '@secondfactor/policy';
 *
 * const [worst] = createPolicy(selfService).bruteForceBounds();
 * worst?.probability; // 0.000025 (window ±2 → s = 5, 5 attempts, 6 digits)
 * ```
 */
export function policyBruteForceBounds(settings: PolicySettings): MethodGuessBound[] {
  const accepted = (method: Method): number | undefined => {
    switch (method) {
      case 'totp':
        return settings.otp.window.past + settings.otp.window.future + 1;
      case 'hotp':
        return settings.otp.hotpLookAhead + 1;
      case 'email':
      case 'sms':
      case 'voice':
        // One live code per challenge: a resend replaces the previous code (checklist G6).
        return 1;
      default:
        return undefined;
    }
  };
  const out: MethodGuessBound[] = [];
  for (const method of settings.methods.allowed) {
    const s = accepted(method);
    if (s === undefined) continue;
    const otp = method === 'totp' || method === 'hotp';
    // An app code is guessed against the account's limit, a delivered one against its challenge's.
    const digits = otp ? settings.otp.digits : settings.deliveredCodes.digits[method];
    const attempts = otp ? settings.attempts.maxFailures : settings.deliveredCodes.maxAttempts[method];
    const input = { acceptedValues: s, attempts, digits };
    out.push({ method, ...input, probability: bruteForceBound(input) });
  }
  return out.sort((a, b) => b.probability - a.probability);
}
