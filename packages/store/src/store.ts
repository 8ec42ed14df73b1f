/**
 * @module
 * The storage contract. Every decision that matters under attack is one atomic primitive here, so no
 * caller ever reads, checks and writes in separate steps. Each method states its guarantee here and
 * nowhere else (READMEs, SQL, Lua and the memory store link to it); an adapter proves it by passing
 * `runStoreConformance` from `@secondfactor/store/testing`.
 */
import type {
  AuditEvent,
  BackupCodeSet,
  ChallengeRecord,
  ConsumeChallengeResult,
  CredentialRecord,
  FailureState,
  PendingEnrollmentRecord,
  TenantSettings,
  TrustedDeviceRecord,
  TwoFactorSummary,
  UserSettings,
} from './records';
import type {
  AddressHolder,
  AddressHolderQuery,
  AuditFilter,
  CompleteLoginOptions,
  CompleteLoginResult,
  ConfirmEnrollmentOptions,
  ConfirmEnrollmentResult,
  ConsumeBackupCodeResult,
  ConsumeChallengeOptions,
  CredentialForVerification,
  CredentialForVerificationOptions,
  FailLoginOptions,
  FailLoginResult,
  ListOtpCredentialsOptions,
  ListUserSettingsOptions,
  NewBackupCodeSet,
  NewChallenge,
  NowOptions,
  RecordOtpUseOptions,
  RegisterFailureOptions,
  ReplaceCredentialSecretOptions,
  ResetUserResult,
  RotateChallengeOptions,
  StoreCapabilities,
  SweepExpiredOptions,
  SweepExpiredResult,
  UpdateUserSettingsOptions,
  UserSettingsPatch,
} from './store-types';

/**
 * The storage contract of secondfactor. All methods are async and validate their arguments at the
 * boundary: a bad id, digest, time or record rejects with `SecondFactorError` (`invalid_argument`),
 * naming the parameter, and writes nothing. Times are Unix milliseconds from 0 to `MAX_TIME`
 * (9999-12-31), durations at most `MAX_DURATION` (ten years); digests are lowercase hex of 16 to 64
 * whole bytes. A method that depends on the time takes it as `now` in its last argument, an options
 * object (`{ now }` at least), never as a positional number: the store has no clock of its own, so the
 * caller's injected clock decides every expiry, window and lock.
 *
 * The TSDoc of each method is the normative statement of its guarantee. Guarantees every method shares:
 * - isolation (checklist H3): a method that takes a user id reads, changes, consumes or deletes only
 *   that user's records; another user's record answers exactly like a missing one, even to its right id;
 * - records are copied in and out: changing an object passed in or received changes nothing stored;
 * - an insert (`addCredential`, `createPendingEnrollment`, `createChallenge`, `addTrustedDevice`,
 *   `appendAudit`) of an id that exists rejects with `conflict` and leaves the stored record untouched;
 *   of concurrent inserts of one id exactly one succeeds;
 * - a delete (`deleteCredential`, `deleteChallenge`, `deletePendingEnrollment`) resolves `true` for
 *   exactly one of concurrent calls, and `false` when the user has no such record.
 *
 * @example
 * ```ts
 * import { MemoryStore } from '@secondfactor/store';
 *
 * const store = new MemoryStore();
 * const now = Date.now();
 * const failureKeys = ['user:user-1', 'totp:cred-1'];
 * // 1st round trip: the lockout state and the sealed secret together.
 * const { credential, failures } = await store.getCredentialForVerification('user-1', 'cred-1', {
 *   now,
 *   failureKeys,
 * });
 * const locked = failures.some((state) => state.lockedUntil !== null);
 * // …open credential.otp.secretCiphertext and check the code in memory; on a match at `step`:
 * // 2nd round trip: the replay guard, and the counters of the factor used reset in the same step (E6).
 * const firstUse = await store.recordOtpUse('user-1', 'cred-1', {
 *   step: 57_000_001,
 *   now,
 *   clearFailures: failureKeys,
 * });
 * ```
 */
export interface SecondFactorStore {
  readonly capabilities: StoreCapabilities;

  // --- user settings ---------------------------------------------------------------------------
  getUserSettings(userId: string): Promise<UserSettings | null>;
  /** Creates or replaces the settings of `settings.userId`. */
  putUserSettings(settings: UserSettings): Promise<void>;
  /**
   * Changes some fields of the user's settings in one atomic step and resolves the settings after it.
   * A field of `patch` that is `undefined` (or absent) keeps its stored value; `null` clears it (for
   * `useTwoFactor` and `mayToggle`, `null` is the "follow the policy" value). A user without settings
   * gets a record: `useTwoFactor: null`, `mayToggle: null`, then the patch. `updatedAt` becomes
   * `options.now`; `options.tenantId`, when given, is written as the tenant.
   *
   * Guarantee: concurrent updates of different fields of one user all take effect (no lost update, as a
   * read followed by `putUserSettings` would risk); of concurrent updates of one field, the last applied
   * wins whole. Bad arguments (a patch field of the wrong type, a time out of range) reject with
   * `invalid_argument` and change nothing.
   *
   * @example
   * ```ts
   * import { MemoryStore } from '@secondfactor/store';
   *
   * const store = new MemoryStore();
   * // The admin's "Use 2FA: yes" and the user's acknowledgement, from two requests: neither is lost.
   * await Promise.all([
   *   store.updateUserSettings('user-1', { useTwoFactor: true }, { now: Date.now(), tenantId: 'acme' }),
   *   store.updateUserSettings('user-1', { backupCodesAcknowledgedAt: Date.now() }, { now: Date.now() }),
   * ]);
   * ```
   */
  updateUserSettings(
    userId: string,
    patch: UserSettingsPatch,
    options: UpdateUserSettingsOptions,
  ): Promise<UserSettings>;
  /** Settings of the users of one tenant, ordered by user id, for admin lists. */
  listUserSettings(tenantId: string, options?: ListUserSettingsOptions): Promise<UserSettings[]>;
  /**
   * Which methods each user has, for "who has 2FA" lists. Users without any appear with no methods. Only
   * switched-on credentials count among the methods (a switched-off device is not "2FA on");
   * `credentials` counts every credential of the user, switched on or off.
   */
  getTwoFactorSummaries(userIds: readonly string[]): Promise<TwoFactorSummary[]>;

  // --- credentials -------------------------------------------------------------------------------
  /**
   * Inserts a credential (imports and out-of-band addresses). Rejects with `conflict` if the id exists.
   * It may arrive switched off (`switchedOffAt` set): a number another person of the tenant verified.
   */
  addCredential(credential: CredentialRecord): Promise<void>;
  /** The credential, only if it belongs to `userId` (no cross-user reads, checklist H3). */
  getCredential(userId: string, credentialId: string): Promise<CredentialRecord | null>;
  listCredentials(userId: string): Promise<CredentialRecord[]>;
  /** Removes one credential of the user; false if there was none. Takes effect for every later verification (H9). */
  deleteCredential(userId: string, credentialId: string): Promise<boolean>;
  /**
   * Changes the label of one credential of the user and nothing else (its secret, last used step and
   * drift stay, so a rename never reopens a used code). Resolves `false`, changing nothing, when the
   * user has no such credential (another user's reads as none, H3). A label that `addCredential` would
   * refuse rejects with `invalid_argument`.
   *
   * @example
   * ```ts
   * import { MemoryStore } from '@secondfactor/store';
   *
   * const renamed = await new MemoryStore().renameCredential('user-1', 'cred-1', 'Work phone'); // false: none
   * ```
   */
  renameCredential(userId: string, credentialId: string, label: string): Promise<boolean>;
  /**
   * Switches one credential of the user off (`switchedOffAt`: the time) or on again (`null`), changing nothing
   * else (secret, label, last used step, drift stay). Resolves false, changing nothing, when the user has no
   * such credential (another user's reads as none, H3).
   *
   * A switched-off credential stays verified: `getCredential`, `listCredentials`,
   * `getCredentialForVerification` and `listAddressHolders` return it with `switchedOffAt`, and
   * `getTwoFactorSummaries` leaves its kind out of the user's methods. Which logins may use it is the
   * caller's decision; the store's other primitives treat it as any credential. Switching off a switched-off
   * credential again replaces the time; a `switchedOffAt` that is neither a time nor `null` rejects with
   * `invalid_argument`.
   *
   * @example
   * ```ts
   * import { MemoryStore } from '@secondfactor/store';
   *
   * const store = new MemoryStore();
   * const off = await store.switchCredential('user-1', 'cred-1', Date.now()); // false: none
   * const on = await store.switchCredential('user-1', 'cred-1', null);
   * ```
   */
  switchCredential(userId: string, credentialId: string, switchedOffAt: number | null): Promise<boolean>;
  /**
   * The credentials whose `address` is exactly `query.address`, of users of `query.tenantId` (absent: of
   * credentials without a tenant), switched off or on, ordered by user id then credential id, at most
   * `query.limit` (default 10, 1..100). For "a number another person of the account verified needs no new check".
   *
   * The comparison is exact (no case folding, no normalisation of phone numbers): the caller normalises
   * an address before it stores it and before it asks. A credential of another tenant, or one without a
   * tenant for a tenant's query (and the reverse), is never answered. Deleted credentials (also by
   * `resetUser` and the `replaces` of `confirmEnrollment`) are not answered once the call that deleted
   * them resolved. Bad arguments (a bad tenant id, an address that is empty, not a string or longer than
   * 320 characters, a limit that is not a whole number from 1 to 100) reject with `invalid_argument`.
   *
   * @example
   * ```ts
   * import { MemoryStore } from '@secondfactor/store';
   *
   * const holders = await new MemoryStore().listAddressHolders({ tenantId: 'acme', address: '+15555550100' });
   * const verifiedByColleague = holders.some((holder) => holder.userId !== 'user-1');
   * ```
   */
  listAddressHolders(query: AddressHolderQuery): Promise<AddressHolder[]>;
  /**
   * RFC 6238 §5.2 replay guard (for HOTP, the RFC 4226 §7.2 counter compare-and-set), and the success
   * half of a verification. In one atomic step:
   * 1. decides: the step is recorded if and only if the credential exists and belongs to `userId` (a
   *    credential of another user reads as unknown, checklist H3), `options.step` is greater than its
   *    recorded last used step (or none is recorded), `options.ifSecret` (when given) equals its sealed
   *    secret, and no key of `options.unlessLocked` is locked at `now`;
   * 2. if so, records `options.step` as the last used step, with `lastUsedAt = now` and `driftSteps` (kept as it
   *    was when omitted), and removes the attempt counters named in `options.clearFailures`, exactly as
   *    `clearFailures(key)` would for each (count, lock and backoff).
   *
   * Resolves `true` when the step was recorded. `false` changes nothing at all (no step, no time, no
   * counter cleared) and does not say which condition refused: a replayed or earlier step, an unknown or
   * deleted credential, another secret, or a lock. A caller that needs the reason reads afterwards
   * (`getCredentialForVerification`), on the failure path only; that read may already see later writes.
   *
   * Guarantees: of any number of concurrent calls with the same step, exactly one returns true (D3), and
   * only its `clearFailures` take effect; of concurrent calls with distinct steps, the largest always
   * returns true and is the step left recorded (D2). No reader (also `getCredentialForVerification`)
   * ever sees the step recorded while a named counter still holds its old state, or a counter cleared
   * while the step is not yet recorded. A concurrent `registerFailure` of a key in `unlessLocked` or `clearFailures` takes
   * effect wholly before this step (its lock then refuses, or its count is cleared) or wholly after it
   * (it counts on what this step left). A concurrent `replaceCredentialSecret` or `deleteCredential`
   * likewise lands wholly before (and `ifSecret` of the old secret refuses) or after. Bad arguments —
   * including a `clearFailures` or `unlessLocked` that is not an array of at most 8 valid ids, or an
   * `ifSecret` that is not a sealed secret — reject with `invalid_argument`; nothing is recorded or cleared.
   *
   * With `ifSecret`, `unlessLocked` and `clearFailures`, a service that keeps sealed credentials in a
   * per-process cache verifies a code with this one call (one round trip in the bundled adapters): the
   * store, not the cache, decides replay, rotation, deletion and lockout.
   *
   * @example
   * ```ts
   * import { type CredentialRecord, MemoryStore } from '@secondfactor/store';
   *
   * const store = new MemoryStore();
   * const cache = new Map<string, CredentialRecord>(); // sealed credentials this process read before
   * const cached = cache.get('cred-1');
   * const keys = ['user:user-1', 'totp:cred-1'];
   * // …open cached.otp.secretCiphertext and check the code in memory; on a match at step 57_000_001:
   * const recorded =
   *   cached?.otp !== undefined &&
   *   (await store.recordOtpUse('user-1', 'cred-1', {
   *     step: 57_000_001,
   *     now: Date.now(),
   *     ifSecret: cached.otp.secretCiphertext,
   *     unlessLocked: keys,
   *     clearFailures: keys,
   *   }));
   * // false: a replay, a lock, a rotated or deleted credential; read once to tell them apart.
   * ```
   */
  recordOtpUse(userId: string, credentialId: string, options: RecordOtpUseOptions): Promise<boolean>;
  /**
   * The read half of a verification, in one step: the credential (exactly what `getCredential(userId,
   * credentialId)` returns) and the state of each key in `failureKeys` at `now` (exactly what
   * `getFailures(key, now)` returns, in order). Both parts come from one consistent view: no write lands
   * between them. Writes nothing. Bad arguments (also `failureKeys` that is not an array of at most 8
   * valid ids) reject with `invalid_argument`. With the `clearFailures` of
   * `recordOtpUse`, a successful TOTP/HOTP verification (check the lockout, load
   * the secret, then record the use and reset the counters) costs two calls, each one round trip in the
   * bundled adapters: the cold path. Once the sealed credential is cached in the process, `recordOtpUse`
   * with `ifSecret` and `unlessLocked` makes this read unnecessary on success (the warm path, one call).
   */
  getCredentialForVerification(
    userId: string,
    credentialId: string,
    options: CredentialForVerificationOptions,
  ): Promise<CredentialForVerification>;
  /**
   * Compare-and-set of a sealed secret, for key rotation: replaces the sealed secret of the user's
   * credential with `options.next` only if it still equals `options.expected`. A credential of another
   * user, like a missing one or one without a sealed secret, resolves `false` and changes nothing (H3).
   * Guarantee: of concurrent calls with the same `expected`, exactly one resolves `true`.
   */
  replaceCredentialSecret(
    userId: string,
    credentialId: string,
    options: ReplaceCredentialSecretOptions,
  ): Promise<boolean>;
  /** Credentials with a sealed secret, ordered by id, a page at a time (key rotation). */
  listOtpCredentials(options: ListOtpCredentialsOptions): Promise<CredentialRecord[]>;

  // --- enrollment --------------------------------------------------------------------------------
  /**
   * Stores a pending enrollment. Rejects with `conflict` if the id exists as a pending enrollment or as a
   * credential: it becomes the credential's id on confirmation.
   */
  createPendingEnrollment(pending: PendingEnrollmentRecord): Promise<void>;
  /** The pending enrollment, only if it belongs to `userId` and has not expired at `options.now`. */
  getPendingEnrollment(
    userId: string,
    pendingId: string,
    options: NowOptions,
  ): Promise<PendingEnrollmentRecord | null>;
  /**
   * Turns a pending enrollment of `userId` into an active credential with the same id, removing the
   * user's credentials named in `replaces` in the same step (H4). `expired` at or after its `expiresAt`;
   * `conflict` (nothing changed) if a credential with that id exists. Guarantee: exactly one of
   * concurrent calls gets `ok`, the others `not_found` (H1); of a confirmation and a
   * `deletePendingEnrollment` racing, exactly one takes effect.
   */
  confirmEnrollment(
    userId: string,
    pendingId: string,
    options: ConfirmEnrollmentOptions,
  ): Promise<ConfirmEnrollmentResult>;
  deletePendingEnrollment(userId: string, pendingId: string): Promise<boolean>;

  // --- backup codes ------------------------------------------------------------------------------
  /**
   * Replaces the user's whole set in one step: no code of the old set works after this resolves (F4).
   * Resolves `true` when the set was written.
   *
   * With `set.onlyIfNone: true` the write is conditional, decided in the same atomic step: it happens
   * only if the user has no set, where "has a set" means exactly what `getBackupCodeSet` returning
   * non-null means: a set record exists, even one whose codes are all used (`remaining: 0`); only
   * `resetUser` (or never having had one) leaves a user without a set. When a set exists nothing is
   * written, the old set keeps working, and the call resolves `false`. Guarantees: the old set stops
   * working also for a `consumeBackupCode` racing the replacement, and of concurrent replacements one
   * whole set remains, never a mixture of two (F4); of concurrent `onlyIfNone` calls for a user without
   * a set, exactly one resolves `true`, and only its codes work (D7).
   * `onlyIfNone` must be a boolean or absent (`@default false`: replace unconditionally).
   */
  replaceBackupCodes(userId: string, set: NewBackupCodeSet): Promise<boolean>;
  getBackupCodeSet(userId: string): Promise<BackupCodeSet | null>;
  /**
   * Consumes the user's code with this digest. Guarantee: `consumed` is true for exactly one caller per
   * code, and `remaining` is the count this call's own step left (D4).
   */
  consumeBackupCode(userId: string, digest: string): Promise<ConsumeBackupCodeResult>;

  // --- challenges --------------------------------------------------------------------------------
  /**
   * Stores a new challenge with no attempts, not consumed, and one delivery (none while `digest` is
   * `null`). Rejects with `conflict` if the id exists, and with `invalid_argument` if the caller sets
   * `attempts`, `deliveries` or `consumedAt`: only the store counts them.
   */
  createChallenge(challenge: NewChallenge): Promise<void>;
  /** The challenge, only if it belongs to `userId`. */
  getChallenge(userId: string, challengeId: string): Promise<ChallengeRecord | null>;
  /**
   * Checks a code (`attempt.digest`, at `attempt.now`) against the challenge and counts the attempt, in one step: `ok` consumes it (exactly
   * one caller ever gets `ok`, D5), `mismatch` counts a failure, `locked` once `maxAttempts` failures were
   * counted, `expired` at or after `expiresAt`, `consumed` after a success. Checked in this order:
   * `not_found` (unknown or another user's), `consumed`, `expired`, `locked`, then the digest; a locked
   * challenge answers `locked` even to the right code (no oracle past the limit), and only `mismatch`
   * counts an attempt. Guarantee: concurrent calls are decided one after the other, each on what the
   * previous left, so of N wrong codes against `maxAttempts` m exactly m answer `mismatch` and the rest
   * `locked` (E1). A challenge whose `digest` is `null` (a pending login, which holds no code of its own)
   * matches no digest: an attempt against it answers `mismatch` and counts, which is how a wrong code of
   * another method is charged to the login that asked for it.
   */
  consumeChallenge(
    userId: string,
    challengeId: string,
    attempt: ConsumeChallengeOptions,
  ): Promise<ConsumeChallengeResult>;
  /**
   * Resend: stores the digest of a new code (the old one stops working, G6), a new expiry, and counts a
   * delivery. Attempts are kept (E4). Returns the updated challenge, or null if it is consumed, expired or unknown.
   */
  rotateChallenge(
    userId: string,
    challengeId: string,
    next: RotateChallengeOptions,
  ): Promise<ChallengeRecord | null>;
  deleteChallenge(userId: string, challengeId: string): Promise<boolean>;
  /**
   * The success step of a login's second factor, in one atomic step of the backend (checklist D3, D4,
   * D5, E1, E6, I3, I4).
   *
   * 1. Decides: the step happens if and only if all of these hold at `options.now`:
   *    - the user has a challenge `challengeId` of kind `'login'` that is not consumed, not expired
   *      (`now < expiresAt`) and not out of attempts (`attempts < maxAttempts`);
   *    - with `options.otp`: what `recordOtpUse(userId, otp.credentialId, { step, ifSecret })` decides
   *      (the user's credential, a step beyond its last used one, the sealed secret when given);
   *    - with `options.backupCode`: the user's current set holds an unused code with `backupCode.digest`;
   *    - no key of `options.unlessLocked` is locked (as `recordOtpUse` reads a lock).
   * 2. If so: marks the challenge consumed (`consumedAt = now`; later calls and `consumeChallenge` answer
   *    it as consumed), records the OTP step (`lastUsedStep`, `lastUsedAt`, `driftSteps` kept when
   *    omitted) or uses the backup code, clears the counters of `options.clearFailures` (E6), appends
   *    `options.audit` when given, and resolves `{ status: 'ok', sessionEpoch }` with the user's session
   *    epoch as it is after the step (and `backupCodesRemaining` with a backup code).
   *
   * Otherwise it changes nothing at all and resolves `{ status: 'refused' }` without saying which
   * condition refused (a caller that needs to know reads afterwards, on the failure path only). With
   * neither `otp` nor `backupCode` it completes a login whose factor was checked elsewhere (an
   * out-of-band code consumed with `consumeChallenge`). Giving both rejects with `invalid_argument`.
   *
   * Guarantees: of concurrent calls for one challenge exactly one resolves `ok` (a login completes once);
   * of concurrent calls with the same OTP step, or the same backup code, across logins, exactly one
   * resolves `ok`, as for `recordOtpUse` and `consumeBackupCode`; a concurrent `registerFailure`,
   * `consumeChallenge`, `deleteChallenge`, `deleteCredential`, `replaceCredentialSecret`,
   * `replaceBackupCodes`, `resetUser` or `bumpSessionEpoch` lands wholly before or wholly after it. The
   * audit record is written in the same step, except on a Redis Cluster, where it is appended right after
   * the step and before the call resolves (the records live in different slots). An audit id that exists
   * rejects with `conflict`, changing nothing. Bad arguments reject with `invalid_argument`.
   *
   * A service that caches sealed credentials completes a TOTP login with two calls: `getChallenge`,
   * then this one (the warm path); with a cold cache, `getCredentialForVerification` between them.
   *
   * @example
   * ```ts
   * import { MemoryStore } from '@secondfactor/store';
   *
   * declare const sealed: string; // the credential's otp.secretCiphertext the code was checked against
   * declare const session: { epoch: number };
   * const store = new MemoryStore();
   * const keys = ['user:user-1', 'cred:cred-1'];
   * // …the code matched step 57_000_001 of credential cred-1:
   * const done = await store.completeLogin('user-1', 'login-1', {
   *   now: Date.now(),
   *   otp: { credentialId: 'cred-1', step: 57_000_001, ifSecret: sealed },
   *   unlessLocked: keys,
   *   clearFailures: keys,
   *   audit: { id: crypto.randomUUID(), at: Date.now(), type: 'login.succeeded', userId: 'user-1' },
   * });
   * if (done.status === 'ok') session.epoch = done.sessionEpoch;
   * ```
   */
  completeLogin(
    userId: string,
    challengeId: string,
    options: CompleteLoginOptions,
  ): Promise<CompleteLoginResult>;

  /**
   * A wrong second-factor answer, counted in one atomic step of the backend (checklist E1, E2, H8): the
   * failure half of a verification, as `completeLogin` is its success half.
   *
   * 1. Counts one failure on each key of `options.keys` at `options.now` under `options.limits`, each
   *    exactly as `registerFailure(key, { now, limits })` counts it.
   * 2. With a `challengeId`, counts one attempt on the user's challenge of that id exactly as a
   *    `consumeChallenge` whose digest does not match counts it: only when it is not consumed, not
   *    expired (`now < expiresAt`) and not out of attempts. An unknown challenge (or another user's, H3),
   *    a consumed, expired or exhausted one changes nothing there. `null` counts on no challenge (a
   *    wrong code outside a login, such as a set-up's confirmation).
   * 3. Appends `options.audit`, whose `data` (a JSON object, or absent for `{}`) is stored with two fields
   *    set by the store from the counts of this step, replacing any the caller gave: `failures`, the
   *    count of the first key after the step, and `locked`, whether any key is locked at `now` after it.
   *    So the record says what the step did, however many calls counted at the same time.
   *
   * Resolves `states`, the state after the step of each key in the order given (what `registerFailure`
   * would have returned), and `attempts`, the challenge's attempts after the step (`null` when
   * `challengeId` is `null` or names no challenge of the user).
   *
   * Guarantees: the counts and the audit record commit together or not at all; an audit id that exists
   * rejects with `conflict` and counts nothing. Of concurrent calls each failure is counted exactly once
   * on each key and on the challenge, as for `registerFailure` and `consumeChallenge`; a concurrent
   * `completeLogin` naming a key or the challenge lands wholly before or wholly after. On a Redis Cluster
   * the keys live in slots of their own: each count is atomic on its key, the challenge's in the user's
   * slot, and the audit record is appended after them, before the call resolves (the audit id is checked
   * first, so a known id still counts nothing). Bad arguments (`keys` not an array of 1 to 8 distinct
   * valid ids, `limits` as `registerFailure` refuses them, an audit record `appendAudit` refuses, audit
   * `data` that is not an object) reject with `invalid_argument` and change nothing.
   *
   * A service completes a refused verification with this one call after reading the login: a wrong
   * code costs `getChallenge` (and the lock read), then `failLogin`.
   *
   * @example
   * ```ts
   * import { MemoryStore } from '@secondfactor/store';
   *
   * const store = new MemoryStore();
   * const now = Date.now();
   * // …the code the user typed for login-1 matched no step of credential cred-1:
   * const { states } = await store.failLogin('user-1', 'login-1', {
   *   now,
   *   keys: ['user:user-1', 'cred:cred-1'],
   *   limits: { maxFailures: 5, windowMs: 900_000, lockoutMs: 900_000 },
   *   audit: { id: crypto.randomUUID(), at: now, type: 'login.failed', userId: 'user-1', data: { method: 'totp' } },
   * });
   * const locked = states.some((state) => state.lockedUntil !== null);
   * ```
   */
  failLogin(userId: string, challengeId: string | null, options: FailLoginOptions): Promise<FailLoginResult>;

  // --- attempt counters --------------------------------------------------------------------------
  /**
   * Counts a failure for `key` at `options.now` under `options.limits` and returns the state after it, in
   * one step: exactly `{ count, lockedUntil }` of `nextFailureCounter(stored, now, limits)`
   * (`@secondfactor/store/adapter`).
   * A lock that would end after `MAX_TIME` ends at `MAX_TIME`. Guarantee: of concurrent calls for one
   * key, each failure is counted exactly once (E1).
   */
  registerFailure(key: string, options: RegisterFailureOptions): Promise<FailureState>;
  /** The state of `key` at `options.now` (a lapsed window reads as zero failures). */
  getFailures(key: string, options: NowOptions): Promise<FailureState>;
  /** Forgets the failures and lockout of `key`. */
  clearFailures(key: string): Promise<void>;

  // --- trusted devices ---------------------------------------------------------------------------
  /**
   * Stores a trusted device. Rejects with `conflict` if the id exists, or if the user already has a
   * device with this token digest.
   */
  addTrustedDevice(device: TrustedDeviceRecord): Promise<void>;
  /** The device of `userId` with this token digest, unless it expired at `options.now`. */
  findTrustedDevice(userId: string, digest: string, options: NowOptions): Promise<TrustedDeviceRecord | null>;
  /**
   * Removes every trusted device of the user and resolves how many. Guarantee: of concurrent calls, each
   * removed device is counted by exactly one.
   */
  revokeTrustedDevices(userId: string): Promise<number>;

  // --- tenants -----------------------------------------------------------------------------------
  /**
   * The tenant's settings, or `null` when none were stored.
   *
   * @example
   * ```ts
   * import { MemoryStore } from '@secondfactor/store';
   *
   * const settings = await new MemoryStore().getTenantSettings('acme'); // null: none stored
   * ```
   */
  getTenantSettings(tenantId: string): Promise<TenantSettings | null>;
  /**
   * Creates or replaces the settings of `settings.tenantId`. An `smtpCiphertext` that is not a
   * `SecretBox` ciphertext is refused with `invalid_argument` (a plaintext password is never stored, B6).
   * Of concurrent writes one whole record remains, never a mixture. `resetUser` and `sweepExpired` never
   * touch it.
   *
   * @example
   * ```ts
   * import { MemoryStore } from '@secondfactor/store';
   *
   * declare const sealedSmtp: string; // SecretBox.seal of the tenant's SMTP settings
   * const store = new MemoryStore();
   * await store.putTenantSettings({ tenantId: 'acme', smtpCiphertext: sealedSmtp, updatedAt: Date.now() });
   * const settings = await store.getTenantSettings('acme');
   * ```
   */
  putTenantSettings(settings: TenantSettings): Promise<void>;

  // --- whole-user operations ---------------------------------------------------------------------
  /**
   * Removes every credential, backup code, pending enrollment, trusted device and challenge of the user
   * in one step (admin "Reset 2FA": the user enrolls again at the next login). Settings and the audit
   * log are kept. Guarantee: of concurrent calls, each removed record is counted by exactly one.
   */
  resetUser(userId: string): Promise<ResetUserResult>;

  // --- session epochs ----------------------------------------------------------------------------
  /**
   * The user's session epoch: a counter that only grows, 0 for a user never bumped. A session records the
   * epoch its second factor passed under (`completeLogin` returns it) and stops counting as verified
   * once the stored epoch is greater (checklist I5, H9). `resetUser`, `putUserSettings`,
   * `updateUserSettings` and `sweepExpired` never change it.
   */
  getSessionEpoch(userId: string): Promise<number>;
  /**
   * Increments the user's session epoch and resolves the new value: every session verified before is
   * revoked. Guarantee: of N concurrent calls each resolves a distinct value and the epoch grows by
   * exactly N; another user's epoch is untouched (H3).
   *
   * @example
   * ```ts
   * import { MemoryStore } from '@secondfactor/store';
   *
   * const store = new MemoryStore();
   * const epoch = await store.bumpSessionEpoch('user-1'); // 1: sessions verified at epoch 0 are revoked
   * const stale = (await store.getSessionEpoch('user-1')) > 0; // true for a session that kept 0
   * ```
   */
  bumpSessionEpoch(userId: string): Promise<number>;

  // --- housekeeping ------------------------------------------------------------------------------
  /**
   * Removes records that lapsed at `options.now` (`now` below), at most `options.limit` of each kind per call, so storage grows
   * with users and not with time. A record is lapsed when no call at `now` or later can tell it from a
   * missing one, apart from the answers named here:
   * - a challenge when `now ≥ expiresAt`, consumed or not (until then a consumed one still answers
   *   `consumed`; once removed, `consumeChallenge` answers `not_found` instead of `expired`);
   * - a pending enrollment when `now ≥ expiresAt` (`confirmEnrollment` then answers `not_found`
   *   instead of `expired`);
   * - a trusted device when `now ≥ expiresAt`;
   * - an attempt counter when it reads as no failures at `now`: it is not locked and its window has
   *   ended (`now ≥ windowEndsAt`), or its lock has ended (`now ≥ lockedUntil`). Its lockout count goes
   *   with it, so the next lock of that key is a first lock again (no backoff): pass a `now` in the past
   *   (`Date.now() - margin`) to keep the backoff of keys that locked within the margin.
   *
   * Guarantees: each record is removed in one atomic step that decides on the record as it is at that
   * moment, so a sweep never removes a record that a concurrent call at `now` or later could still use.
   * A record live at `now` is never touched, whatever runs beside the sweep (`consumeChallenge`,
   * `rotateChallenge`, `confirmEnrollment` on it are unaffected). A `registerFailure` racing the sweep of
   * its lapsed counter lands wholly before (it opens a new window, the counter is live again and stays)
   * or wholly after (it finds no counter and opens the same window; only the lockout count is gone), so
   * no failure is ever lost. Credentials, backup codes, settings and the audit log are never swept. A call removes at most `limit` records of
   * each kind and resolves `more: true` when some kind reached the limit, so a host can run it from a
   * timer and call again while `more`. An adapter whose backend removes lapsed records by itself (Redis,
   * by TTL) may remove nothing and resolve zeros. Bad arguments (`now` out of range, `limit` not a whole
   * number from 1 to `MAX_PAGE_SIZE`) reject with `invalid_argument`.
   *
   * @example
   * ```ts
   * import { MemoryStore } from '@secondfactor/store';
   *
   * const store = new MemoryStore();
   * // From a timer, e.g. every minute; one day of margin keeps the backoff of recent lockouts.
   * const now = Date.now() - 86_400_000;
   * for (let calls = 0; calls < 10; calls++) {
   *   const { more } = await store.sweepExpired({ now, limit: 1000 });
   *   if (!more) break;
   * }
   * ```
   */
  sweepExpired(options: SweepExpiredOptions): Promise<SweepExpiredResult>;

  // --- audit log ---------------------------------------------------------------------------------
  /** Appends an event. The log has no update or delete: an id seen before rejects with `conflict`. */
  appendAudit(event: AuditEvent): Promise<void>;
  /** Events newest first (by `at`; events of the same `at` newest-appended first). */
  listAudit(filter: AuditFilter): Promise<AuditEvent[]>;

  /** Releases connections the store opened itself. */
  close(): Promise<void>;
}
