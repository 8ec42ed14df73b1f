/**
 * @module
 * Checking a TOTP code against a stored credential: open the sealed secret, apply the drift measured at
 * the last success (RFC 6238 §6), verify inside the policy's window above the last used step (§5.2), and
 * wipe the secret again.
 */
import { type VerifyTotpResult, verifyTotp } from '@secondfactor/core';
import type { CredentialRecord } from '@secondfactor/store';
import type { ServiceContext } from './options';

/** A TOTP outcome; a match carries the drift to store, measured against the server's own time. @internal */
export type TotpOutcome = VerifyTotpResult;

/**
 * Checks `code` against the TOTP credential at `now`. The stored drift is applied within the policy's
 * window (a drift beyond it is clamped), so the accepted steps never stray further than twice the window
 * from the server's time, and the drift returned for storage is clamped the same way. @internal
 */
export function checkTotp(
  ctx: ServiceContext,
  credential: Pick<CredentialRecord, 'id' | 'userId' | 'otp' | 'lastUsedStep' | 'driftSteps'>,
  code: unknown,
  now: number,
): TotpOutcome {
  const otp = credential.otp;
  if (otp === undefined) return { valid: false, reason: 'mismatch' };
  const { past, future } = ctx.policy.settings.otp.window;
  const clamp = (drift: number): number => Math.max(-past, Math.min(future, drift));
  const period = otp.period ?? 30;
  const drift = clamp(credential.driftSteps ?? 0);
  const secret = ctx.secretBox.open(otp.secretCiphertext, {
    userId: credential.userId,
    credentialId: credential.id,
  });
  try {
    const result = verifyTotp(secret, code, {
      algorithm: otp.algorithm,
      digits: otp.digits,
      period,
      time: now + drift * period * 1000,
      window: { past, future },
      lastUsedStep: credential.lastUsedStep,
    });
    return result.valid ? { ...result, driftSteps: clamp(result.driftSteps + drift) } : result;
  } finally {
    secret.fill(0);
  }
}
