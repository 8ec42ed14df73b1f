/**
 * @module
 * Record factories and helpers of the conformance suite. Every id is fresh and random, so the suite is
 * correct against a shared database that already holds data, and two runs never see each other's rows.
 */
import { isSecondFactorError } from '@secondfactor/core';
import { expect } from 'vitest';
import type {
  AuditEvent,
  ChallengeRecord,
  CredentialRecord,
  PendingEnrollmentRecord,
  TrustedDeviceRecord,
  UserSettings,
} from '../records';
import type { SecondFactorStore } from '../store';
import type { NewChallenge } from '../store-types';
import type { ProcessWorker } from './capabilities';

/** What every group of the suite receives: the store under test, its raw dump and the suite's clock. */
export interface SuiteContext {
  readonly store: SecondFactorStore;
  /** Everything the backend persisted, as one text. */
  dumpRaw(): Promise<string>;
  /** A time near the wall clock at which the suite started; all injected times are offsets of it. */
  readonly t0: number;
  /** How many concurrent calls race each primitive. */
  readonly concurrency: number;
  /** A second store over the same backend, as after a restart (`ConformanceTarget.reopen`). */
  readonly reopen: (() => Promise<SecondFactorStore>) | undefined;
  /** How a forked process opens its own store (`ConformanceTarget.processWorker`). */
  readonly processWorker: ProcessWorker | undefined;
}

const hex = (bytes: number): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');

/**
 * A fresh id: `prefix` and 16 random hex digits (ASCII only, so every collation orders it alike).
 *
 * @example
 * ```ts
 * import { freshId } from '@secondfactor/store/testing';
 *
 * const userId = freshId('user'); // 'user3f9c0a17b2e4d658'
 * ```
 */
export const freshId = (prefix: string): string => `${prefix}${hex(8)}`;

/**
 * A random keyed-digest-shaped value (SHA-256 length, lowercase hex).
 *
 * @example
 * ```ts
 * import { randomDigest } from '@secondfactor/store/testing';
 *
 * await store.replaceBackupCodes(userId, { digests: [randomDigest(), randomDigest()], now: Date.now() });
 * ```
 */
export const randomDigest = (): string => hex(32);

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * A value of the sealed-secret shape; the store never opens it, so it need not decrypt.
 *
 * @example
 * ```ts
 * import { fakeCiphertext } from '@secondfactor/store/testing';
 *
 * const options = { expected: fakeCiphertext(), next: fakeCiphertext() };
 * expect(await store.replaceCredentialSecret(credential.userId, credential.id, options)).toBe(false);
 * ```
 */
export const fakeCiphertext = (): string =>
  `sf1.conformance.${Array.from(crypto.getRandomValues(new Uint8Array(64)), (byte) => BASE64URL[byte & 63]).join('')}`;

/**
 * A TOTP credential of `userId`.
 *
 * @example
 * ```ts
 * import { freshId, totpCredential } from '@secondfactor/store/testing';
 *
 * const credential = totpCredential(freshId('user'), Date.now(), { lastUsedStep: 41 });
 * await store.addCredential(credential);
 * ```
 */
export function totpCredential(
  userId: string,
  t0: number,
  extra: Partial<CredentialRecord> = {},
): CredentialRecord {
  return {
    id: freshId('cred'),
    userId,
    kind: 'totp',
    label: 'Phone',
    otp: { secretCiphertext: fakeCiphertext(), algorithm: 'SHA1', digits: 6, period: 30 },
    createdAt: t0,
    ...extra,
  };
}

/**
 * An e-mail credential of `userId`.
 *
 * @example
 * ```ts
 * import { emailCredential, freshId } from '@secondfactor/store/testing';
 *
 * await store.addCredential(emailCredential(freshId('user'), Date.now(), { address: 'a@example.org' }));
 * ```
 */
export function emailCredential(
  userId: string,
  t0: number,
  extra: Partial<CredentialRecord> = {},
): CredentialRecord {
  return {
    id: freshId('cred'),
    userId,
    kind: 'email',
    label: 'Mail',
    address: 'someone@example.org',
    createdAt: t0,
    ...extra,
  };
}

/**
 * A pending TOTP enrollment of `userId` that expires ten minutes after `t0`.
 *
 * @example
 * ```ts
 * import { freshId, pendingTotp } from '@secondfactor/store/testing';
 *
 * const pending = pendingTotp(freshId('user'), Date.now());
 * await store.createPendingEnrollment(pending);
 * ```
 */
export function pendingTotp(
  userId: string,
  t0: number,
  extra: Partial<PendingEnrollmentRecord> = {},
): PendingEnrollmentRecord {
  return {
    id: freshId('pend'),
    userId,
    kind: 'totp',
    label: 'New phone',
    otp: { secretCiphertext: fakeCiphertext(), algorithm: 'SHA1', digits: 6, period: 30 },
    createdAt: t0,
    expiresAt: t0 + 600_000,
    ...extra,
  };
}

/**
 * An e-mail login challenge of `userId` with the given digest, expiring ten minutes after `t0`, as
 * `createChallenge` takes it: without the fields the store owns (`attempts`, `deliveries`, `consumedAt`).
 *
 * @example
 * ```ts
 * import { emailChallenge, freshId, randomDigest } from '@secondfactor/store/testing';
 *
 * const challenge = emailChallenge(freshId('user'), Date.now(), randomDigest(), { maxAttempts: 3 });
 * await store.createChallenge(challenge);
 * ```
 */
export function emailChallenge(
  userId: string,
  t0: number,
  digest: string | null,
  extra: Partial<NewChallenge> = {},
): NewChallenge {
  return {
    id: freshId('chal'),
    userId,
    kind: 'email',
    purpose: 'login',
    digest,
    createdAt: t0,
    expiresAt: t0 + 600_000,
    maxAttempts: 5,
    ...extra,
  };
}

/**
 * A pending login of `userId` (kind `'login'`, no code of its own: `digest` null), expiring ten minutes
 * after `t0`, as `createChallenge` takes it: what `completeLogin` completes.
 *
 * @example
 * ```ts
 * import { freshId, loginChallenge } from '@secondfactor/store/testing';
 *
 * const login = loginChallenge(freshId('user'), Date.now(), { maxAttempts: 3 });
 * await store.createChallenge(login);
 * ```
 */
export function loginChallenge(userId: string, t0: number, extra: Partial<NewChallenge> = {}): NewChallenge {
  return emailChallenge(userId, t0, null, { kind: 'login', ...extra });
}

/**
 * The challenge as the store holds it right after `createChallenge(challenge)`: no attempts, one
 * delivery when a digest was given (none while it is `null`), not consumed.
 *
 * @example
 * ```ts
 * import { createdChallenge, emailChallenge, freshId, randomDigest } from '@secondfactor/store/testing';
 *
 * const challenge = emailChallenge(freshId('user'), Date.now(), randomDigest());
 * await store.createChallenge(challenge);
 * expect(await store.getChallenge(challenge.userId, challenge.id)).toEqual(createdChallenge(challenge));
 * ```
 */
export function createdChallenge(challenge: NewChallenge): ChallengeRecord {
  return { ...challenge, attempts: 0, deliveries: challenge.digest === null ? 0 : 1 };
}

/**
 * A trusted device of `userId` valid for thirty days from `t0`.
 *
 * @example
 * ```ts
 * import { freshId, trustedDevice } from '@secondfactor/store/testing';
 *
 * await store.addTrustedDevice(trustedDevice(freshId('user'), Date.now(), { label: 'Safari' }));
 * ```
 */
export function trustedDevice(
  userId: string,
  t0: number,
  extra: Partial<TrustedDeviceRecord> = {},
): TrustedDeviceRecord {
  return {
    id: freshId('dev'),
    userId,
    digest: randomDigest(),
    label: 'Firefox',
    createdAt: t0,
    expiresAt: t0 + 30 * 86_400_000,
    ...extra,
  };
}

/**
 * Settings of `userId`.
 *
 * @example
 * ```ts
 * import { freshId, userSettings } from '@secondfactor/store/testing';
 *
 * await store.putUserSettings(userSettings(freshId('user'), Date.now(), { tenantId: 'acme' }));
 * ```
 */
export function userSettings(userId: string, t0: number, extra: Partial<UserSettings> = {}): UserSettings {
  return { userId, useTwoFactor: null, mayToggle: true, updatedAt: t0, ...extra };
}

/**
 * An audit event.
 *
 * @example
 * ```ts
 * import { auditEvent, freshId } from '@secondfactor/store/testing';
 *
 * await store.appendAudit(auditEvent(Date.now(), { userId: freshId('user'), type: 'backup_codes.regenerated' }));
 * ```
 */
export function auditEvent(at: number, extra: Partial<AuditEvent> = {}): AuditEvent {
  return { id: freshId('evt'), at, type: 'enrollment.confirmed', ...extra };
}

/** `count` calls of `attempt` started together; resolves with every outcome (fulfilled or rejected). */
export async function race<T>(
  count: number,
  attempt: (index: number) => Promise<T>,
): Promise<PromiseSettledResult<T>[]> {
  return Promise.allSettled(Array.from({ length: count }, (_, index) => attempt(index)));
}

/** The values of fulfilled outcomes; fails the test on any rejection. */
export function fulfilled<T>(outcomes: PromiseSettledResult<T>[]): T[] {
  const rejected = outcomes.filter((item) => item.status === 'rejected');
  expect(rejected.map((item) => String((item as PromiseRejectedResult).reason))).toEqual([]);
  return outcomes.map((item) => (item as PromiseFulfilledResult<T>).value);
}

/**
 * Asserts that `call` returns a promise (no synchronous throw) that rejects with `SecondFactorError`
 * of `code`, and returns the error.
 */
export async function expectRejection(call: () => Promise<unknown>, code: string): Promise<Error> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    throw new Error(`expected a rejected promise, but the call threw synchronously: ${String(error)}`);
  }
  expect(promise).toBeInstanceOf(Promise);
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (error === undefined) throw new Error(`expected a rejection with code ${code}, but the call resolved`);
  expect(isSecondFactorError(error), `expected SecondFactorError, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  return error as Error;
}
