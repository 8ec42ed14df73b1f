/**
 * @module
 * The boundary checks of every `SecondFactorStore` method that takes more than one whole record,
 * written once: one checker per method, taking the raw arguments in the method's order and returning
 * what the method needs, checked and (where the caller could still change it) copied. Every adapter in
 * this repository calls them first, before any I/O, so all of them refuse the same values with the
 * same `invalid_argument` message, in the same order, and send nothing on bad input. A checker throws
 * synchronously; call it inside the `async` method so the caller sees a rejected promise. The methods
 * that take one whole record (`putUserSettings`, `addCredential`, `createPendingEnrollment`,
 * `createChallenge`, `addTrustedDevice`, `appendAudit`) check it with the matching `assert…` of
 * `validate.ts` (`assertUserSettings`, …).
 *
 * @example
 * ```ts
 * import { checkRotateChallengeArgs } from '@secondfactor/store';
 *
 * async function rotateChallenge(userId: string, challengeId: string, next: unknown) {
 *   const { digest, expiresAt, now } = checkRotateChallengeArgs(userId, challengeId, next);
 *   // …one atomic update of the backend…
 * }
 * ```
 */
import { SecondFactorError } from '@secondfactor/core';
import {
  assertDigestSet,
  assertIdList,
  assertOptions,
  assertSalt,
  assertStep,
  type CheckedRecordOtpUseOptions,
  checkRecordOtpUseOptions,
  copyFailureKeys,
  pageLimit,
} from './arguments';
import type { FailureLimits } from './records';
import {
  assertCiphertext,
  assertDigest,
  assertFailureLimits,
  assertId,
  assertOptionalId,
  assertTime,
} from './validate';

// A property bag that `assertOptions` has accepted, read field by field (each field once).
type Bag = Record<string, unknown>;

// --- shapes shared by several methods -----------------------------------------------------------------

function ownedBy(userId: unknown, idName: string, id: unknown): void {
  assertId('userId', userId);
  assertId(idName, id);
}

function digestAt(userId: unknown, digest: unknown, now: unknown): void {
  assertId('userId', userId);
  assertDigest('digest', digest);
  assertTime('now', now);
}

/**
 * The methods that take only a user id: `getUserSettings`, `listCredentials`, `getBackupCodeSet`,
 * `revokeTrustedDevices`, `resetUser`.
 */
export function checkUserIdArg(userId: unknown): void {
  assertId('userId', userId);
}

// --- user settings ------------------------------------------------------------------------------------

/** `listUserSettings`: the tenant id, then an optional page (`after` an id, `limit` as {@link pageLimit}). */
export function checkListUserSettingsArgs(
  tenantId: unknown,
  options: unknown,
): { after: string | undefined; limit: number } {
  assertId('tenantId', tenantId);
  assertOptions('options', options, false);
  const after = (options as Bag | undefined)?.after;
  assertOptionalId('options.after', after);
  return { after, limit: pageLimit('options.limit', (options as Bag | undefined)?.limit) };
}

/** `getTwoFactorSummaries`: a list of ids as {@link assertIdList}, returned as a copy. */
export function checkGetTwoFactorSummariesArgs(userIds: unknown): string[] {
  assertIdList('userIds', userIds);
  return [...userIds];
}

// --- credentials and verification ---------------------------------------------------------------------

/** `getCredential` and `deleteCredential`: the user id, then the credential id. */
export function checkCredentialArgs(userId: unknown, credentialId: unknown): void {
  ownedBy(userId, 'credentialId', credentialId);
}

/** `getCredentialForVerification`: both ids, then `options.now` and a copy of `options.failureKeys`. */
export function checkGetCredentialForVerificationArgs(
  userId: unknown,
  credentialId: unknown,
  options: unknown,
): { now: number; failureKeys: string[] } {
  ownedBy(userId, 'credentialId', credentialId);
  assertOptions('options', options, true);
  const { now, failureKeys } = options as Bag;
  assertTime('options.now', now);
  return { now, failureKeys: copyFailureKeys('options.failureKeys', failureKeys) };
}

/** `recordOtpUse`: the credential id, the step (RFC 6238 §4 / RFC 4226 §5.2), then {@link checkRecordOtpUseOptions}. */
export function checkRecordOtpUseArgs(
  credentialId: unknown,
  step: unknown,
  options: unknown,
): CheckedRecordOtpUseOptions {
  assertId('credentialId', credentialId);
  assertStep('step', step);
  return checkRecordOtpUseOptions(options);
}

/** `replaceCredentialSecret`: the credential id, then two sealed secrets (never plaintext, B6). */
export function checkReplaceCredentialSecretArgs(
  credentialId: unknown,
  expected: unknown,
  next: unknown,
): void {
  assertId('credentialId', credentialId);
  assertCiphertext('expected', expected);
  assertCiphertext('next', next);
}

/** `listOtpCredentials`: a required page (`after` an id, `limit` as {@link pageLimit}). */
export function checkListOtpCredentialsArgs(options: unknown): { after: string | undefined; limit: number } {
  assertOptions('options', options, true);
  const { after, limit } = options as Bag;
  assertOptionalId('options.after', after);
  return { after, limit: pageLimit('options.limit', limit) };
}

// --- enrollment ---------------------------------------------------------------------------------------

/** `getPendingEnrollment`: the user id, the pending id, then `now`. */
export function checkGetPendingEnrollmentArgs(userId: unknown, pendingId: unknown, now: unknown): void {
  ownedBy(userId, 'pendingId', pendingId);
  assertTime('now', now);
}

/** `confirmEnrollment`: both ids, then the options; `replaces` comes back copied, empty when omitted. */
export function checkConfirmEnrollmentArgs(
  userId: unknown,
  pendingId: unknown,
  options: unknown,
): { now: number; lastUsedStep: number | undefined; replaces: string[] } {
  ownedBy(userId, 'pendingId', pendingId);
  assertOptions('options', options, true);
  const { now, lastUsedStep, replaces } = options as Bag;
  assertTime('options.now', now);
  if (lastUsedStep !== undefined) assertStep('options.lastUsedStep', lastUsedStep);
  if (replaces !== undefined) assertIdList('options.replaces', replaces);
  const replaced = [...((replaces as readonly string[] | undefined) ?? [])];
  return { now, lastUsedStep: lastUsedStep as number | undefined, replaces: replaced };
}

/** `deletePendingEnrollment`: the user id, then the pending id. */
export function checkDeletePendingEnrollmentArgs(userId: unknown, pendingId: unknown): void {
  ownedBy(userId, 'pendingId', pendingId);
}

// --- backup codes -------------------------------------------------------------------------------------

/**
 * `replaceBackupCodes`: the user id, then the set as {@link assertDigestSet} and {@link assertSalt}, then
 * `set.onlyIfNone` (a boolean or absent; absent reads as `false`); digests copied.
 */
export function checkReplaceBackupCodesArgs(
  userId: unknown,
  set: unknown,
): { digests: string[]; salt: string | undefined; now: number; onlyIfNone: boolean } {
  assertId('userId', userId);
  assertOptions('set', set, true);
  const { digests, salt, now, onlyIfNone } = set as Bag;
  assertDigestSet('set.digests', digests);
  if (salt !== undefined) assertSalt('set.salt', salt);
  assertTime('set.now', now);
  // A truthy non-boolean (say the string 'false') must not silently pick either behaviour.
  if (onlyIfNone !== undefined && typeof onlyIfNone !== 'boolean') {
    throw new SecondFactorError('invalid_argument', 'set.onlyIfNone must be a boolean');
  }
  return { digests: [...digests], salt: salt as string | undefined, now, onlyIfNone: onlyIfNone === true };
}

/** `consumeBackupCode`: the user id, the code's digest, then `now`. */
export function checkConsumeBackupCodeArgs(userId: unknown, digest: unknown, now: unknown): void {
  digestAt(userId, digest, now);
}

// --- challenges ---------------------------------------------------------------------------------------

/** `getChallenge` and `deleteChallenge`: the user id, then the challenge id. */
export function checkChallengeArgs(userId: unknown, challengeId: unknown): void {
  ownedBy(userId, 'challengeId', challengeId);
}

/** `consumeChallenge`: both ids, the submitted code's digest, then `now`. */
export function checkConsumeChallengeArgs(
  userId: unknown,
  challengeId: unknown,
  digest: unknown,
  now: unknown,
): void {
  ownedBy(userId, 'challengeId', challengeId);
  assertDigest('digest', digest);
  assertTime('now', now);
}

/** `rotateChallenge`: both ids, then the new digest, expiry and `now`. */
export function checkRotateChallengeArgs(
  userId: unknown,
  challengeId: unknown,
  next: unknown,
): { digest: string; expiresAt: number; now: number } {
  ownedBy(userId, 'challengeId', challengeId);
  assertOptions('next', next, true);
  const { digest, expiresAt, now } = next as Bag;
  assertDigest('next.digest', digest);
  assertTime('next.expiresAt', expiresAt);
  assertTime('next.now', now);
  return { digest, expiresAt, now };
}

// --- attempt counters, trusted devices, audit ----------------------------------------------------------

/** `registerFailure`: the key, `now`, then the limits as `assertFailureLimits`; limits come back copied. */
export function checkRegisterFailureArgs(key: unknown, now: unknown, limits: FailureLimits): FailureLimits {
  checkGetFailuresArgs(key, now);
  assertFailureLimits(limits);
  return { ...limits };
}

/** `getFailures`: the key, then `now`. */
export function checkGetFailuresArgs(key: unknown, now: unknown): void {
  assertId('key', key);
  assertTime('now', now);
}

/** `clearFailures`: the key. */
export function checkClearFailuresArgs(key: unknown): void {
  assertId('key', key);
}

/** `findTrustedDevice`: the user id, the device token's digest, then `now`. */
export function checkFindTrustedDeviceArgs(userId: unknown, digest: unknown, now: unknown): void {
  digestAt(userId, digest, now);
}

/** `listAudit`: a required filter; `userId`, `tenantId` optional ids, `since` an optional time. */
export function checkListAuditArgs(filter: unknown): {
  userId: string | undefined;
  tenantId: string | undefined;
  since: number | undefined;
  limit: number;
} {
  assertOptions('filter', filter, true);
  const { userId, tenantId, since, limit } = filter as Bag;
  assertOptionalId('filter.userId', userId);
  assertOptionalId('filter.tenantId', tenantId);
  if (since !== undefined) assertTime('filter.since', since);
  return { userId, tenantId, since: since as number | undefined, limit: pageLimit('filter.limit', limit) };
}
