/**
 * @module
 * Checking an authenticator-app code against a stored credential: open the sealed secret, check the code
 * and wipe the secret again. TOTP applies the drift measured at the last success (RFC 6238 §6) and
 * verifies inside the policy's window above the last used step (§5.2); HOTP looks ahead of the last used
 * counter by the policy's look-ahead and resynchronises to the counter that matched (RFC 4226 §7.4).
 */
import { verifyHotp, verifyTotp } from '@secondfactor/core';
import type { CredentialRecord } from '@secondfactor/store';
import type { ServiceContext } from './options';

/**
 * An OTP outcome. A match carries the step (TOTP time step or HOTP counter) to record and, for TOTP, the
 * drift to store, measured against the server's own time. @internal
 */
export type OtpOutcome =
  | { valid: true; step: number; driftSteps: number | undefined }
  | { valid: false; reason: 'mismatch' | 'malformed' | 'replayed' };

/** The parts of a credential (or pending enrollment) a check reads. @internal */
export type OtpCredential = Pick<CredentialRecord, 'id' | 'userId' | 'kind' | 'otp'> &
  Partial<Pick<CredentialRecord, 'lastUsedStep' | 'driftSteps'>>;

/**
 * Checks `code` against the credential at `now`. Only the store decides whether the step is still unused
 * (`recordOtpUse`, `completeLogin`, `confirmEnrollment`); `replayed` here is an early answer from the
 * last used step the caller read. @internal
 */
export function checkOtp(
  ctx: ServiceContext,
  credential: OtpCredential,
  code: unknown,
  now: number,
): OtpOutcome {
  const otp = credential.otp;
  if (otp === undefined || (credential.kind !== 'totp' && credential.kind !== 'hotp')) {
    return { valid: false, reason: 'mismatch' };
  }
  const secret = ctx.secretBox.open(otp.secretCiphertext, {
    userId: credential.userId,
    credentialId: credential.id,
  });
  try {
    if (credential.kind === 'hotp') {
      const result = verifyHotp(secret, code, {
        algorithm: otp.algorithm,
        digits: otp.digits,
        lookAhead: ctx.policy.settings.otp.hotpLookAhead,
        lastUsedStep: credential.lastUsedStep,
      });
      return result.valid ? { valid: true, step: Number(result.counter), driftSteps: undefined } : result;
    }
    const { past, future } = ctx.policy.settings.otp.window;
    const clamp = (drift: number): number => Math.max(-past, Math.min(future, drift));
    const period = otp.period ?? 30;
    const drift = clamp(credential.driftSteps ?? 0);
    const result = verifyTotp(secret, code, {
      algorithm: otp.algorithm,
      digits: otp.digits,
      period,
      time: now + drift * period * 1000,
      window: { past, future },
      lastUsedStep: credential.lastUsedStep,
    });
    return result.valid
      ? { valid: true, step: result.step, driftSteps: clamp(result.driftSteps + drift) }
      : result;
  } finally {
    secret.fill(0);
  }
}
