/**
 * @module
 * The problem list `validatePolicy` returns.
 */

/**
 * What is wrong with a policy value. Stable API.
 *
 * @example
 * ```ts
 * import { validatePolicy, type PolicyProblemCode } from '@secondfactor/policy';
 *
 * const code: PolicyProblemCode = 'window_above_cap';
 * validatePolicy(config).some((problem) => problem.code === code);
 * ```
 */
export type PolicyProblemCode =
  | 'invalid_shape'
  | 'invalid_value'
  | 'unknown_field'
  | 'unknown_method'
  | 'no_methods'
  | 'window_above_cap'
  | 'digits_out_of_range'
  | 'secret_too_short'
  | 'code_ttl_out_of_range'
  | 'failure_limit_out_of_range'
  | 'only_restricted_methods'
  | 'method_forbidden_by_compliance'
  | 'method_not_mfa_factor'
  | 'fallback_requires_multi_mode'
  | 'voice_fallback_without_voice'
  | 'brute_force_bound_exceeded';

/**
 * One problem of a policy: where, what, and a message naming the limit.
 *
 * @example
 * ```ts
 * import { validatePolicy, type PolicyProblem } from '@secondfactor/policy';
 *
 * const problems: PolicyProblem[] = validatePolicy({
 *   methods: { allowed: ['totp'] },
 *   otp: { window: { past: 11, future: 1 } },
 * });
 * // [{ path: 'otp.window.past', code: 'window_above_cap', message: 'must be at most 10' }]
 * ```
 */
export interface PolicyProblem {
  /** Dotted path of the offending field (`otp.window.past`, `requirement.roles.0.forbiddenMethods`). */
  path: string;
  code: PolicyProblemCode;
  /** Human-readable; names the limit, never a secret (a policy holds none). */
  message: string;
}
