/**
 * @module
 * `validatePolicy` lists every unsafe or contradictory value of a configuration; `assertValidPolicy`
 * throws them as one `SecondFactorError('invalid_policy')` (checklist K4, K5, C2, E10, G10).
 */

import { isMethod, type Method, SecondFactorError } from '@secondfactor/core';
import { policyBruteForceBounds } from './bounds';
import type { PolicyConfig } from './config';
import { POLICY_LIMITS } from './limits';
import { PHONE_METHODS } from './methods';
import { resolvePolicy } from './settings';
import { numberProblems } from './validate-numbers';
import { shapeProblems } from './validate-shape';
import type { PolicyProblem } from './validate-types';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Method lists a config may hold, by path, so unknown names are caught wherever they hide. */
function methodLists(config: PolicyConfig): Array<[string, unknown]> {
  const m = config.methods;
  // Only an absent list is empty: `null` is a wrong shape, not a default.
  const list = (value: unknown): unknown => (value === undefined ? [] : value);
  const roles = config.requirement?.roles;
  return [
    ['methods.allowed', m.allowed],
    ['methods.fallbackOnly', list(m.fallbackOnly)],
    ['methods.restricted', list(m.restricted)],
    ['methods.withoutEnrollment', list(m.withoutEnrollment)],
    ['methods.enableOnLink', list(m.enableOnLink)],
    ...(Array.isArray(roles) ? roles : []).map((rule, i): [string, unknown] => [
      `requirement.roles.${i}.forbiddenMethods`,
      list((rule as { forbiddenMethods?: unknown } | null)?.forbiddenMethods),
    ]),
  ];
}

/**
 * Every problem of a configuration, or `[]` when it is safe to use. Accepts data of unknown shape
 * (a policy read from JSON) and reports a wrong shape instead of throwing.
 *
 * @example
 * ```ts
 * import { validatePolicy } from '@secondfactor/policy';
 *
 * validatePolicy({ methods: { allowed: ['sms'] }, otp: { window: { past: 30, future: 1 } } });
 * // [{ path: 'otp.window.past', code: 'window_above_cap', ... },
 * //  { path: 'methods.allowed', code: 'only_restricted_methods', ... }]
 * ```
 */
export function validatePolicy(config: PolicyConfig): PolicyProblem[] {
  const raw: unknown = config;
  if (!isObject(raw) || !isObject(raw.methods) || !Array.isArray(raw.methods.allowed)) {
    return [{ path: 'methods.allowed', code: 'invalid_shape', message: 'must be a list of methods' }];
  }
  const out: PolicyProblem[] = [];
  for (const [path, list] of methodLists(config)) {
    if (!Array.isArray(list)) out.push({ path, code: 'invalid_shape', message: 'must be a list of methods' });
    else if (!list.every(isMethod))
      out.push({ path, code: 'unknown_method', message: 'names an unknown method' });
  }
  out.push(...shapeProblems(config));
  if (out.length > 0) return out;
  if (config.methods.allowed.length === 0) {
    return [{ path: 'methods.allowed', code: 'no_methods', message: 'must name at least one method' }];
  }
  const settings = resolvePolicy(config);
  const numbers = numberProblems(settings, config);
  out.push(...numbers);
  if (!['none', 'l2', 'l3'].includes(settings.compliance)) {
    out.push({ path: 'compliance', code: 'invalid_value', message: "must be 'none', 'l2' or 'l3'" });
  }
  if (!['exclusive', 'multi'].includes(settings.methods.mode)) {
    out.push({ path: 'methods.mode', code: 'invalid_value', message: "must be 'exclusive' or 'multi'" });
  }

  const m = settings.methods;
  for (const method of m.allowed) {
    // NIST SP 800-63B §5.1.3.1, §5.1.3.3 (checklist G10).
    if (m.forbidden.includes(method)) {
      out.push({
        path: 'methods.allowed',
        code: 'method_forbidden_by_compliance',
        message: `${method} is refused at l3`,
      });
    } else if (m.notMfaFactor.includes(method)) {
      out.push({
        path: 'methods.allowed',
        code: 'method_not_mfa_factor',
        message: `${method} is not a second factor`,
      });
    }
  }
  // Checklist K4: whoever may use a restricted method also has a method that is not restricted.
  const standalone = (forbidden: readonly Method[]): boolean =>
    m.allowed.some(
      (x) =>
        !forbidden.includes(x) &&
        !m.fallbackOnly.includes(x) &&
        !m.restricted.includes(x) &&
        !m.forbidden.includes(x) &&
        !m.notMfaFactor.includes(x),
    );
  if (!standalone([])) {
    out.push({
      path: 'methods.allowed',
      code: 'only_restricted_methods',
      message: 'needs a method that is neither restricted nor fallback-only',
    });
  }
  settings.requirement.roles.forEach((rule, i) => {
    if (!standalone(rule.forbiddenMethods) && standalone([])) {
      out.push({
        path: `requirement.roles.${i}.forbiddenMethods`,
        code: 'only_restricted_methods',
        message: 'leaves these roles no method that is neither restricted nor fallback-only',
      });
    }
  });
  if (m.mode === 'exclusive' && m.fallbackOnly.some((x) => x !== 'backup_code')) {
    out.push({
      path: 'methods.fallbackOnly',
      code: 'fallback_requires_multi_mode',
      message: 'a fallback method needs a primary beside it, which exclusive mode forbids',
    });
  }
  if (m.voiceFallbackToSmsAfter !== undefined && !m.allowed.includes('voice')) {
    out.push({
      path: 'methods.voiceFallbackToSmsAfter',
      code: 'voice_fallback_without_voice',
      message: 'needs voice',
    });
  }
  if (m.voiceFallbackToSmsAfter !== undefined && m.forbidden.some((x) => PHONE_METHODS.includes(x))) {
    out.push({
      path: 'methods.voiceFallbackToSmsAfter',
      code: 'method_forbidden_by_compliance',
      message: 'SMS is refused at l3',
    });
  }
  if (settings.deliveredCodes.digits.voice < POLICY_LIMITS.minDigits && m.allowed.includes('voice')) {
    // Checklist G1: the 4-digit flash call is off by default and refused under l2 and l3.
    if (settings.compliance !== 'none') {
      out.push({
        path: 'deliveredCodes.digitsByMethod.voice',
        code: 'digits_out_of_range',
        message: `a call code below ${POLICY_LIMITS.minDigits} digits is refused at ${settings.compliance}`,
      });
    }
  }
  if (numbers.length === 0) {
    // RFC 4226 §6 (checklist E10): only meaningful once every number is in range.
    const [worst] = policyBruteForceBounds(settings);
    if (worst !== undefined && worst.probability > settings.maxGuessProbability) {
      out.push({
        path: 'maxGuessProbability',
        code: 'brute_force_bound_exceeded',
        message: `${worst.method}: s·v/10^d = ${worst.probability} exceeds ${settings.maxGuessProbability}`,
      });
    }
  }
  return out;
}

/**
 * Throws `SecondFactorError('invalid_policy')` listing every problem of `config`; returns when there is none.
 *
 * @throws {SecondFactorError} `invalid_policy`, with `detail.problems` holding the {@link PolicyProblem} list.
 * @example
 * ```ts
 * import { assertValidPolicy, selfService } from '@secondfactor/policy';
 *
 * assertValidPolicy({ ...selfService, attempts: { maxFailures: 1000 } }); // throws: attempts.maxFailures …
 * ```
 */
export function assertValidPolicy(config: PolicyConfig): void {
  const problems = validatePolicy(config);
  if (problems.length === 0) return;
  const summary = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  throw new SecondFactorError('invalid_policy', `policy ${summary}`, { detail: { problems } });
}
