/**
 * @module
 * The checks of `completeLogin`'s options: the OTP part exactly as `recordOtpUse` checks its own, the
 * backup code's digest, the counter keys as every method that takes them, and the audit record exactly
 * as `appendAudit` checks its event.
 */
import type { CheckedCompleteLoginOptions } from './adapter/operations';
import {
  assertCiphertext,
  assertDigest,
  assertId,
  assertInteger,
  assertOptions,
  assertTime,
  fail,
  failureKeys,
} from './validate';
import { checkAuditEvent } from './validate-records';

type Bag = Record<string, unknown>;

function otpPart(name: string, value: unknown): CheckedCompleteLoginOptions['otp'] {
  if (value === undefined) return undefined;
  assertOptions(name, value, true);
  const { credentialId, step, driftSteps, ifSecret } = value as Bag;
  assertId(`${name}.credentialId`, credentialId);
  // RFC 4226 §5.2 counters and RFC 6238 §4 steps are never negative.
  assertInteger(`${name}.step`, step, 0);
  if (driftSteps !== undefined) assertInteger(`${name}.driftSteps`, driftSteps);
  // B6: only a sealed secret is compared, never a plaintext one.
  if (ifSecret !== undefined) assertCiphertext(`${name}.ifSecret`, ifSecret);
  return { credentialId, step, driftSteps, ifSecret };
}

function backupCodeDigest(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  assertOptions(name, value, true);
  const { digest } = value as Bag;
  assertDigest(`${name}.digest`, digest);
  return digest;
}

/**
 * The options of `completeLogin`, checked and copied, each field read once.
 *
 * @internal
 */
export function checkCompleteLoginOptions(name: string, value: unknown): CheckedCompleteLoginOptions {
  assertOptions(name, value, true);
  const { now, otp, backupCode, unlessLocked, clearFailures, audit } = value as Bag;
  assertTime(`${name}.now`, now);
  // F9: one sign-in uses one factor; two would let a single step spend a code it did not need.
  if (otp !== undefined && backupCode !== undefined) {
    fail(`${name}.otp, ${name}.backupCode`, 'must not both be given: a login completes with one factor');
  }
  return {
    now,
    otp: otpPart(`${name}.otp`, otp),
    backupCodeDigest: backupCodeDigest(`${name}.backupCode`, backupCode),
    unlessLocked: failureKeys(`${name}.unlessLocked`, unlessLocked),
    clearFailures: failureKeys(`${name}.clearFailures`, clearFailures),
    audit: audit === undefined ? undefined : checkAuditEvent(audit, `${name}.audit`),
  };
}
