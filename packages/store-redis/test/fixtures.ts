/**
 * @module
 * Records for the adapter's own tests (the conformance suite keeps its factories private). Every id is
 * fresh and random, so tests never see each other's keys.
 */
import type { ChallengeRecord, CredentialRecord, PendingEnrollmentRecord } from '@secondfactor/store';

const hex = (bytes: number): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');

/** `prefix` and 16 random hex digits. */
export const freshId = (prefix: string): string => `${prefix}${hex(8)}`;

/** A random value of keyed-digest shape. */
export const randomDigest = (): string => hex(32);

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A value of sealed-secret shape (the store never opens it). */
export const fakeCiphertext = (): string =>
  `sf1.test.${Array.from(crypto.getRandomValues(new Uint8Array(48)), (b) => BASE64URL[b & 63]).join('')}`;

/** A TOTP credential of `userId`. */
export const totpCredential = (
  userId: string,
  t0: number,
  extra: Partial<CredentialRecord> = {},
): CredentialRecord => ({
  id: freshId('cred'),
  userId,
  kind: 'totp',
  label: 'Phone',
  otp: { secretCiphertext: fakeCiphertext(), algorithm: 'SHA1', digits: 6, period: 30 },
  createdAt: t0,
  ...extra,
});

/** A pending TOTP enrollment of `userId`, ten minutes long. */
export const pendingTotp = (
  userId: string,
  t0: number,
  extra: Partial<PendingEnrollmentRecord> = {},
): PendingEnrollmentRecord => ({
  id: freshId('pend'),
  userId,
  kind: 'totp',
  label: 'New phone',
  otp: { secretCiphertext: fakeCiphertext(), algorithm: 'SHA1', digits: 6, period: 30 },
  createdAt: t0,
  expiresAt: t0 + 600_000,
  ...extra,
});

/** An e-mail challenge of `userId`, ten minutes long. */
export const emailChallenge = (
  userId: string,
  t0: number,
  digest: string | null,
  extra: Partial<ChallengeRecord> = {},
): ChallengeRecord => ({
  id: freshId('chal'),
  userId,
  kind: 'email',
  purpose: 'login',
  digest,
  createdAt: t0,
  expiresAt: t0 + 600_000,
  attempts: 0,
  maxAttempts: 5,
  deliveries: 1,
  ...extra,
});
