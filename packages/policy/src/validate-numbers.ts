/**
 * @module
 * The numeric half of policy validation: windows, digits, secret length, code lifetimes, attempt limits,
 * grace periods (checklist K5, C2, G2, E1).
 */

import type { PolicyConfig } from './config';
import { POLICY_LIMITS } from './limits';
import { CODE_METHODS, DELIVERED_CODE_METHODS } from './methods';
import type { PolicySettings } from './settings';
import type { PolicyProblem } from './validate-types';

const isInt = (value: number, min: number, max = Number.MAX_SAFE_INTEGER): boolean =>
  Number.isInteger(value) && value >= min && value <= max;

/** @internal Problems with the numbers of resolved settings. */
export function numberProblems(settings: PolicySettings, configured?: PolicyConfig): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const L = POLICY_LIMITS;
  const add = (path: string, code: PolicyProblem['code'], message: string): void => {
    out.push({ path, code, message });
  };
  const { otp, attempts } = settings;

  // RFC 4226 §7.4, RFC 6238 §5.2: a wide window multiplies the guesses each attempt gets.
  for (const side of ['past', 'future'] as const) {
    const value = otp.window[side];
    if (!isInt(value, 0)) add(`otp.window.${side}`, 'invalid_value', 'must be a whole number of steps ≥ 0');
    else if (value > L.maxWindow)
      add(`otp.window.${side}`, 'window_above_cap', `must be at most ${L.maxWindow}`);
  }
  if (!isInt(otp.hotpLookAhead, 0)) add('otp.hotpLookAhead', 'invalid_value', 'must be a whole number ≥ 0');
  else if (otp.hotpLookAhead > L.maxLookAhead) {
    add('otp.hotpLookAhead', 'window_above_cap', `must be at most ${L.maxLookAhead}`);
  }
  if (!isInt(otp.periodSeconds, 1)) add('otp.periodSeconds', 'invalid_value', 'must be a whole number ≥ 1');
  if (!isInt(otp.digits, L.minDigits, L.maxDigits)) {
    add('otp.digits', 'digits_out_of_range', `must be a whole number from ${L.minDigits} to ${L.maxDigits}`);
  }
  // Only the methods the policy allows, and each problem reported where its value was written: a value
  // a method inherits (`deliveredCodes.digits`, `attempts.maxFailures`) is checked under its own name.
  const dc = settings.deliveredCodes;
  const given = configured?.deliveredCodes;
  if (!isInt(given?.digits ?? L.minDigits, L.minDigits, L.maxDigits)) {
    add(
      'deliveredCodes.digits',
      'digits_out_of_range',
      `must be a whole number from ${L.minDigits} to ${L.maxDigits}`,
    );
  }
  for (const method of DELIVERED_CODE_METHODS.filter((m) => settings.methods.allowed.includes(m))) {
    const own = given?.digitsByMethod?.[method] !== undefined;
    // Checklist G1: a flash call's code may have 4 digits (checked against the bound in validate.ts).
    const min = method === 'voice' && own ? L.minFlashCallDigits : L.minDigits;
    if (own && !isInt(dc.digits[method], min, L.maxDigits)) {
      add(
        `deliveredCodes.digitsByMethod.${method}`,
        'digits_out_of_range',
        `must be a whole number from ${min} to ${L.maxDigits}`,
      );
    }
    if (given?.maxAttempts?.[method] !== undefined && !isInt(dc.maxAttempts[method], 1, L.maxFailureLimit)) {
      add(
        `deliveredCodes.maxAttempts.${method}`,
        'failure_limit_out_of_range',
        `must be a whole number from 1 to ${L.maxFailureLimit}`,
      );
    }
  }

  // RFC 4226 R6: at least 128 bits of shared secret.
  if (!isInt(otp.secretBytes, L.minSecretBytes)) {
    add(
      'otp.secretBytes',
      'secret_too_short',
      `must be a whole number ≥ ${L.minSecretBytes} bytes (128 bits)`,
    );
  } else if (otp.secretBytes > L.maxSecretBytes) {
    add('otp.secretBytes', 'invalid_value', `must be at most ${L.maxSecretBytes} bytes`);
  }
  for (const method of [...CODE_METHODS, 'push'] as const) {
    if (method === 'totp' || method === 'hotp') continue;
    const ttl = settings.deliveredCodes.ttlSeconds[method];
    if (!isInt(ttl, 1, L.maxCodeTtlSeconds)) {
      add(
        `deliveredCodes.ttlSeconds.${method}`,
        'code_ttl_out_of_range',
        `must be 1 to ${L.maxCodeTtlSeconds} seconds`,
      );
    }
  }

  // NIST SP 800-63B §5.2.2: no more than 100 consecutive failures.
  if (!isInt(attempts.maxFailures, 1, L.maxFailureLimit)) {
    add(
      'attempts.maxFailures',
      'failure_limit_out_of_range',
      `must be a whole number from 1 to ${L.maxFailureLimit}`,
    );
  }
  // Every length fits the store's MAX_DURATION (ten years), so every limit accepted here is one the
  // store accepts too.
  const longest = L.maxDurationSeconds;
  if (!isInt(attempts.windowSeconds, 1, longest))
    add('attempts.windowSeconds', 'invalid_value', `must be 1 to ${longest} seconds`);
  if (!isInt(attempts.lockoutSeconds, 1, longest))
    add('attempts.lockoutSeconds', 'invalid_value', `must be 1 to ${longest} seconds`);
  if (
    !(Number.isInteger(attempts.backoffFactor) && attempts.backoffFactor >= 1 && attempts.backoffFactor <= 10)
  ) {
    add('attempts.backoffFactor', 'invalid_value', 'must be a whole number from 1 to 10');
  }
  if (!isInt(attempts.maxLockoutSeconds, attempts.lockoutSeconds, longest)) {
    add(
      'attempts.maxLockoutSeconds',
      'invalid_value',
      `must be a whole number from lockoutSeconds to ${longest}`,
    );
  }

  const r = settings.requirement;
  const graces: Array<[string, number]> = [
    ['requirement.defaultGraceSeconds', r.defaultGraceSeconds],
    ['requirement.userGraceSeconds', r.userGraceSeconds],
    ...r.roles.map((rule, i): [string, number] => [`requirement.roles.${i}.graceSeconds`, rule.graceSeconds]),
    ...r.features.map((rule, i): [string, number] => [
      `requirement.features.${i}.graceSeconds`,
      rule.graceSeconds,
    ]),
  ];
  for (const [path, grace] of graces)
    if (!isInt(grace, 0, longest)) add(path, 'invalid_value', `must be a whole number from 0 to ${longest}`);

  for (const [method, limit] of Object.entries(settings.methods.maxDevices)) {
    if (!isInt(limit, 1, 100))
      add(`methods.maxDevices.${method}`, 'invalid_value', 'must be a whole number from 1 to 100');
  }
  if (!isInt(settings.sessions.rememberDeviceDays, 0, 400)) {
    add('sessions.rememberDeviceDays', 'invalid_value', 'must be a whole number from 0 to 400');
  }
  const after = settings.methods.voiceFallbackToSmsAfter;
  if (after !== undefined && !isInt(after, 1, 10)) {
    add('methods.voiceFallbackToSmsAfter', 'invalid_value', 'must be a whole number from 1 to 10');
  }
  if (!isInt(settings.freshAuth.maxAgeSeconds, 1, 86_400)) {
    add('freshAuth.maxAgeSeconds', 'invalid_value', 'must be 1 to 86400 seconds');
  }
  if (!isInt(settings.backupCodes.count, 1, 100))
    add('backupCodes.count', 'invalid_value', 'must be 1 to 100');
  const p = settings.maxGuessProbability;
  if (!(p > 0 && p <= 1)) add('maxGuessProbability', 'invalid_value', 'must be above 0 and at most 1');
  return out;
}
