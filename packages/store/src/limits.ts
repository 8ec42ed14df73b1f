/**
 * @module
 * The bounds of the storage contract: how many rows a list returns, how many ids or codes one call
 * takes, and the range of every time and duration. Every adapter refuses values outside them with the
 * same `invalid_argument`, so a host can check its own input against the same numbers.
 */

/**
 * Most rows one list call returns, and the most ids one call accepts (`getTwoFactorSummaries`,
 * `confirmEnrollment`'s `replaces`).
 *
 * @example
 * ```ts
 * import { MAX_PAGE_SIZE, MemoryStore } from '@secondfactor/store';
 *
 * const store = new MemoryStore();
 * const page = await store.listOtpCredentials({ limit: MAX_PAGE_SIZE });
 * ```
 */
export const MAX_PAGE_SIZE = 1000;

/**
 * Page size of list calls that are given no `limit`.
 *
 * @example
 * ```ts
 * import { DEFAULT_PAGE_SIZE, MemoryStore } from '@secondfactor/store';
 *
 * const users = await new MemoryStore().listUserSettings('tenant-1'); // at most DEFAULT_PAGE_SIZE (100)
 * const more = users.length === DEFAULT_PAGE_SIZE;
 * ```
 */
export const DEFAULT_PAGE_SIZE = 100;

/**
 * Most backup codes one set may hold.
 *
 * @example
 * ```ts
 * import { MAX_BACKUP_CODES } from '@secondfactor/store';
 *
 * const count = Math.min(requested, MAX_BACKUP_CODES);
 * ```
 */
export const MAX_BACKUP_CODES = 100;

/**
 * Most attempt-counter keys one call reads, checks or clears (`getCredentialForVerification`'s
 * `failureKeys`, `recordOtpUse`'s `unlessLocked` and `clearFailures`): a verification touches a handful
 * (per user, per credential, per factor), and a small bound keeps every such call one cheap step in every
 * backend.
 *
 * @example
 * ```ts
 * import { MAX_FAILURE_KEYS } from '@secondfactor/store';
 *
 * const keys = [`user:${userId}`, `totp:${credentialId}`].slice(0, MAX_FAILURE_KEYS);
 * ```
 */
export const MAX_FAILURE_KEYS = 8;

/**
 * The latest time the store accepts or stores, in Unix milliseconds: 9999-12-31T23:59:59.999Z. Every
 * time (`now`, `createdAt`, `expiresAt`, `lockedUntil`, …) lies from 0 to this value. The bound keeps
 * every sum of a time and a duration far below 2^53, so JavaScript, SQL `bigint` and Lua doubles agree
 * on it exactly, and a lock that would end later ends here.
 *
 * @example
 * ```ts
 * import { MAX_TIME } from '@secondfactor/store';
 *
 * new Date(MAX_TIME).toISOString(); // '9999-12-31T23:59:59.999Z'
 * ```
 */
export const MAX_TIME = 253_402_300_799_999;

/**
 * The longest duration the store accepts, in milliseconds: ten years of 365 days (315,360,000,000 ms).
 * Applies to the lengths of `FailureLimits` (`windowMs`, `lockoutMs`, `maxLockoutMs`).
 *
 * @example
 * ```ts
 * import { MAX_DURATION } from '@secondfactor/store';
 *
 * const limits = { maxFailures: 5, windowMs: 900_000, lockoutMs: 60_000, backoffFactor: 2, maxLockoutMs: MAX_DURATION };
 * ```
 */
export const MAX_DURATION = 315_360_000_000;
