/**
 * @module
 * The errors the service throws for the outcomes of a login or a confirmation. They are
 * `SecondFactorError`s of `@secondfactor/core` with its stable codes; the service adds default messages
 * (hosts may replace them) and the non-secret `detail` each outcome needs.
 */
import { SecondFactorError } from '@secondfactor/core';

/**
 * Why a login step was refused, as `detail.reason` of the error. The code of the error is the stable
 * switch for hosts; the reason separates outcomes that share a code.
 *
 * - `login_expired`: the pending login is unknown, expired, already completed or out of attempts
 *   (code `challenge_expired`, one answer for all of them);
 * - `method_not_allowed`: the method is not one this login offered (code `method_not_allowed`);
 * - `enrollment_not_found`: the pending enrollment is unknown, expired or already confirmed;
 * - `device_not_found`: the actor has no device with this id (code `not_found`; another user's device
 *   answers the same, H3);
 * - `no_backup_codes`: the actor holds no set of backup codes to acknowledge (code `not_enrolled`);
 * - `approval_pending`: a push login polled before its approval arrived (code `challenge_not_found`).
 *
 * A refusal of the policy is `policy_denied` with the policy's own reason code (`not_owner`,
 * `fresh_auth_required`, `self_reset_forbidden`, …) in `detail.reason`.
 *
 * @example
 * ```ts
 * import { SecondFactorError } from '@secondfactor/core';
 * import type { TwoFactorRefusal } from '@secondfactor/service';
 *
 * try {
 *   await twoFactor.verifyLogin({ loginId, method: 'totp', code });
 * } catch (error) {
 *   const reason = error instanceof SecondFactorError ? (error.detail?.reason as TwoFactorRefusal | undefined) : undefined;
 *   if (reason !== 'login_expired') throw error;
 *   response.redirect('/login'); // start the sign-in again
 * }
 * ```
 */
export type TwoFactorRefusal =
  | 'login_expired'
  | 'method_not_allowed'
  | 'enrollment_not_found'
  | 'device_not_found'
  | 'no_backup_codes'
  | 'approval_pending';

/**
 * The default English messages; hosts translate by `code` (and `detail.reason`).
 *
 * @example
 * ```ts
 * import { SecondFactorError } from '@secondfactor/core';
 * import { DEFAULT_MESSAGES } from '@secondfactor/service';
 *
 * // A translation starts from the English defaults and replaces the lines it changes.
 * const messages = { ...DEFAULT_MESSAGES, otpInvalid: 'Der Code ist falsch.' };
 * if (error instanceof SecondFactorError && error.code === 'otp_invalid') response.status(401).json({ message: messages.otpInvalid });
 * ```
 */
export const DEFAULT_MESSAGES: Readonly<{
  otpInvalid: string;
  otpReplayed: string;
  lockedOut: string;
  loginExpired: string;
  methodNotAllowed: string;
  enrollmentNotFound: string;
  deviceNotFound: string;
  noBackupCodes: string;
  codeExpired: string;
  rateLimited: string;
  approvalPending: string;
}> = Object.freeze({
  otpInvalid: 'Otp invalid!',
  otpReplayed: 'This code was already used. Wait for the next code and try again.',
  lockedOut: 'Too many failed attempts. Try again later.',
  loginExpired: 'This sign-in has expired. Sign in again.',
  methodNotAllowed: 'This method cannot be used for this sign-in.',
  enrollmentNotFound: 'This set-up has expired. Start again.',
  deviceNotFound: 'This device was not found.',
  noBackupCodes: 'You have no backup codes.',
  codeExpired: 'This code has expired. Ask for a new one.',
  rateLimited: 'Too many codes were sent. Wait a moment and try again.',
  approvalPending: 'Waiting for the sign-in to be approved.',
});

/** A delivered code past its lifetime (checklist G2): `otp_expired`. @internal */
export const codeExpired = (): SecondFactorError =>
  new SecondFactorError('otp_expired', DEFAULT_MESSAGES.codeExpired);

/** A wrong (or malformed) code: `otp_invalid`, "Otp invalid!". @internal */
export const otpInvalid = (): SecondFactorError =>
  new SecondFactorError('otp_invalid', DEFAULT_MESSAGES.otpInvalid);

/** A code that matched only a step already used (RFC 6238 §5.2, checklist D1, D2). @internal */
export const otpReplayed = (): SecondFactorError =>
  new SecondFactorError('otp_replayed', DEFAULT_MESSAGES.otpReplayed);

/**
 * The user (or the credential) is locked after too many failures (E1); `detail.retryAfterMs` says when
 * trying again can succeed (E8: the adapters turn it into `Retry-After`). @internal
 */
export const lockedOut = (retryAfterMs: number): SecondFactorError =>
  new SecondFactorError('locked_out', DEFAULT_MESSAGES.lockedOut, {
    detail: { retryAfterMs: Math.max(0, retryAfterMs) },
  });

/** The pending login is unknown, expired, completed or out of attempts: one answer for all (I3, I11). @internal */
export const loginExpired = (): SecondFactorError =>
  new SecondFactorError('challenge_expired', DEFAULT_MESSAGES.loginExpired, {
    detail: { reason: 'login_expired' satisfies TwoFactorRefusal },
  });

/** A method the pending login did not offer (K3, I6). @internal */
export const methodNotAllowed = (method: string): SecondFactorError =>
  new SecondFactorError('method_not_allowed', DEFAULT_MESSAGES.methodNotAllowed, {
    detail: { reason: 'method_not_allowed' satisfies TwoFactorRefusal, method },
  });

/** The pending enrollment is unknown, expired or already confirmed (H1, H2). @internal */
export const enrollmentNotFound = (): SecondFactorError =>
  new SecondFactorError('enrollment_not_found', DEFAULT_MESSAGES.enrollmentNotFound, {
    detail: { reason: 'enrollment_not_found' satisfies TwoFactorRefusal },
  });

/** The actor has no device with this id; another user's device answers the same (H3). @internal */
export const deviceNotFound = (): SecondFactorError =>
  new SecondFactorError('not_found', DEFAULT_MESSAGES.deviceNotFound, {
    detail: { reason: 'device_not_found' satisfies TwoFactorRefusal },
  });

/** The actor holds no backup codes to acknowledge. @internal */
export const noBackupCodes = (): SecondFactorError =>
  new SecondFactorError('not_enrolled', DEFAULT_MESSAGES.noBackupCodes, {
    detail: { reason: 'no_backup_codes' satisfies TwoFactorRefusal },
  });

/**
 * A policy question said no: `policy_denied` carrying the decision's reason code (and `subjectId` when
 * one subject of a list was refused). @internal
 */
export const policyDenied = (
  reason: string,
  action: string,
  subjectId?: string,
  policyDetail?: Readonly<Record<string, unknown>>,
): SecondFactorError =>
  new SecondFactorError('policy_denied', `The policy does not allow ${action} (${reason}).`, {
    detail: {
      reason,
      action,
      ...(subjectId === undefined ? {} : { subjectId }),
      ...(policyDetail === undefined ? {} : { policyDetail }),
    },
  });

/**
 * Throws `policy_denied` for a refusal, with the decision's reason and detail (what proof to give again,
 * which limit); does nothing for an allowed decision. @internal
 */
export function assertAllowed(
  decision: { allowed: boolean; reason: string; detail?: object | undefined },
  action: string,
  subjectId?: string,
): void {
  if (decision.allowed) return;
  throw policyDenied(
    decision.reason,
    action,
    subjectId,
    decision.detail === undefined ? undefined : { ...decision.detail },
  );
}

/** A bad argument or option, naming it. @internal */
export const invalidArgument = (name: string, why: string): SecondFactorError =>
  new SecondFactorError('invalid_argument', `${name} ${why}`);

/**
 * How long to wait before trying again, from a `locked_out` or `rate_limited` error of the service;
 * `undefined` for any other value.
 *
 * @example
 * ```ts
 * import { retryAfterMs } from '@secondfactor/service';
 *
 * try {
 *   await twoFactor.verifyLogin({ loginId, method: 'totp', code });
 * } catch (error) {
 *   const wait = retryAfterMs(error);
 *   if (wait !== undefined) response.setHeader('Retry-After', Math.ceil(wait / 1000));
 * }
 * ```
 */
export function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof SecondFactorError)) return undefined;
  if (error.code !== 'locked_out' && error.code !== 'rate_limited') return undefined;
  const value = error.detail?.retryAfterMs;
  return typeof value === 'number' ? value : undefined;
}
