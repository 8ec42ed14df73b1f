/**
 * @module
 * The options of `createTwoFactor` and their validation: every option is checked once, at creation,
 * and a bad one throws `invalid_argument` naming it, so a misconfiguration never shows up first as a
 * weaker login.
 */
import { type BackupCodeHasher, createBackupCodeHasher } from '@secondfactor/backup-codes';
import type { TelegramProvider } from '@secondfactor/channels';
import { fillRandom, type RandomSource } from '@secondfactor/core';
import type { Policy } from '@secondfactor/policy';
import { assertTime, type SecondFactorStore, type SecretBox } from '@secondfactor/store';
import { CredentialCache } from './credential-cache';
import { EpochCache } from './epoch-cache';
import { invalidArgument } from './errors';
import type { TwoFactorEventListener } from './events';
import {
  checkChannels,
  checkCodeKey,
  checkSendLimits,
  type OobChannels,
  type ResolvedSendLimits,
  type SendLimits,
} from './oob/options';
import { checkTelegram, type PushChannels } from './push/options';
import { IdSource } from './random-id';

/**
 * The tenant's feature flags, for policies whose rules name features.
 *
 * @example
 * ```ts
 * import { createTwoFactor, type TenantFeatures } from '@secondfactor/service';
 *
 * const tenantFeatures: TenantFeatures = async (tenantId) => (tenantId === undefined ? [] : await db.tenants.features(tenantId));
 * const twoFactor = createTwoFactor({ ...options, tenantFeatures });
 * ```
 */
export type TenantFeatures = (tenantId: string | undefined) => readonly string[] | Promise<readonly string[]>;

/**
 * Options of {@link createTwoFactor}.
 *
 * @example
 * ```ts
 * import { createPolicy, selfService } from '@secondfactor/policy';
 * import type { TwoFactorOptions } from '@secondfactor/service';
 * import { MemoryStore, SecretBox } from '@secondfactor/store';
 *
 * const options: TwoFactorOptions = {
 *   store: new MemoryStore(),
 *   secretBox: new SecretBox({ keys: { k1: secretKey }, currentKeyId: 'k1' }),
 *   backupCodeKey: backupCodeKeyBytes, // 32 random bytes kept outside the database
 *   policy: createPolicy(selfService),
 *   issuer: 'Example',
 * };
 * ```
 */
export interface TwoFactorOptions {
  /** Any store that passes the conformance suite of `@secondfactor/store/testing`. */
  store: SecondFactorStore;
  /** Seals TOTP secrets at rest (checklist B6, B7). */
  secretBox: SecretBox;
  /**
   * Key of the keyed backup-code digests (at least 32 random bytes). Give this or `backupCodeHasher`,
   * not both.
   */
  backupCodeKey?: Uint8Array | undefined;
  /** A hasher from `createBackupCodeHasher` (e.g. the scrypt mode). Give this or `backupCodeKey`. */
  backupCodeHasher?: BackupCodeHasher | undefined;
  /** `createPolicy(preset or config)`: every rule the service follows. */
  policy: Policy;
  /** The service name authenticator apps show (Key URI issuer, without `:`). */
  issuer: string;
  /**
   * The time in Unix milliseconds; every expiry, window and lock is decided with it.
   * @default Date.now
   */
  clock?: (() => number) | undefined;
  /**
   * Random bytes for secrets, ids and backup codes; must be a CSPRNG (checklist B3).
   * @default crypto.getRandomValues
   */
  random?: RandomSource | undefined;
  /**
   * The feature flags of a tenant. Required when the policy names features (`policy.settings.usesFeatures`):
   * without it the service would not know them, and creation fails rather than reading "no features".
   */
  tenantFeatures?: TenantFeatures | undefined;
  /**
   * Receives every event after it was written to the audit log (notification e-mails, metrics). An error
   * it throws is caught: a failing listener never turns a completed change into an error.
   */
  onEvent?: TwoFactorEventListener | undefined;
  /**
   * Lifetime of a pending login, in seconds, 30 to 600 (checklist I3: at most 10 minutes).
   * @default 300
   */
  loginTtlSeconds?: number | undefined;
  /**
   * Lifetime of a pending enrollment, in seconds, 60 to 3600 (checklist H2).
   * @default 600
   */
  enrollmentTtlSeconds?: number | undefined;
  /**
   * How many sealed credentials this process keeps for the warm path of a login (a login then takes two
   * store calls instead of three). `startLogin` puts the user's offered app credentials in it (it has read
   * them already), so the code that answers a login started in this process takes the warm path. The
   * store still decides replay, rotation, deletion and lockout in the step that completes the login, so a
   * stale entry only costs a retry. `0` turns the cache off.
   * @default 10000
   */
  credentialCacheSize?: number | undefined;
  /**
   * How long `isSessionCurrent` may reuse a user's session epoch it read, in seconds, 0 to 60. With `t`,
   * a check costs a store read once per user per `t` instead of on every request; a change made through
   * this process is seen at once, another process's revocation at most `t` later. `0` reads the store
   * every time.
   * @default 0
   */
  sessionEpochCacheSeconds?: number | undefined;
  /**
   * The host's own session records. Revocation works without it: the service keeps a per-user session
   * epoch (see {@link TwoFactor.isSessionCurrent}); with it, the host also deletes the revoked sessions.
   */
  sessions?: SessionHooks | undefined;
  /**
   * The providers of out-of-band codes (`@secondfactor/channels`): e-mail, SMS, voice flash calls, and
   * the Telegram bot of push approval (method `push`). A method without its channel is not offered at
   * login and cannot be added (`method_not_allowed`).
   */
  channels?: (OobChannels & PushChannels) | undefined;
  /**
   * Key of the keyed HMAC-SHA-256 digests of delivered codes (at least 32 random bytes; checklist G5).
   * Required with `channels` when only a `backupCodeHasher` was given.
   * @default backupCodeKey
   */
  codeKey?: Uint8Array | undefined;
  /**
   * How often codes may be sent (checklist G8).
   * @default per destination 5 per 15 minutes, per account 10 per hour, 30 s between two sends to one destination
   */
  sendLimits?: SendLimits | undefined;
}

/**
 * What the service tells the host about its sessions.
 *
 * @example
 * ```ts
 * import type { SessionHooks } from '@secondfactor/service';
 *
 * const sessions: SessionHooks = {
 *   revokeOthers: async (userId, exceptSessionId) => {
 *     await db.sessions.deleteMany({ userId, id: { not: exceptSessionId } });
 *   },
 * };
 * ```
 */
export interface SessionHooks {
  /**
   * Deletes the user's sessions except `exceptSessionId` (the session of the request that caused it, when
   * the user acted himself; `undefined` when an admin did). Called after the change and the epoch bump,
   * when the policy says the change signs out other sessions (checklist I5). An error it throws is
   * reported to the caller: the change is done and the epoch already revokes the sessions.
   */
  revokeOthers(userId: string, exceptSessionId: string | undefined): void | Promise<void>;
}

/** The validated options, as the service's methods use them. @internal */
export interface ServiceContext {
  readonly store: SecondFactorStore;
  readonly secretBox: SecretBox;
  readonly hasher: BackupCodeHasher;
  readonly policy: Policy;
  readonly issuer: string;
  readonly now: () => number;
  readonly random: RandomSource;
  readonly tenantFeatures: TenantFeatures | undefined;
  readonly onEvent: TwoFactorEventListener | undefined;
  readonly loginTtlMs: number;
  readonly enrollmentTtlMs: number;
  readonly credentials: CredentialCache;
  readonly epochs: EpochCache;
  /** Ids of pending logins, enrollments, devices and events. */
  readonly ids: IdSource;
  readonly sessions: SessionHooks | undefined;
  readonly channels: OobChannels;
  /** The bot of push approval; `push` is offered only with it. */
  readonly telegram: TelegramProvider | undefined;
  /** Key of delivered codes' digests; present whenever a channel is. */
  readonly codeKey: Uint8Array | undefined;
  readonly sendLimits: ResolvedSendLimits;
}

// The store methods the service calls; a store without one of them is not a store.
const STORE_METHODS = [
  'getUserSettings',
  'putUserSettings',
  'listCredentials',
  'getCredentialForVerification',
  'recordOtpUse',
  'createPendingEnrollment',
  'getPendingEnrollment',
  'confirmEnrollment',
  'getBackupCodeSet',
  'replaceBackupCodes',
  'consumeBackupCode',
  'createChallenge',
  'getChallenge',
  'consumeChallenge',
  'deleteChallenge',
  'registerFailure',
  'getFailures',
  'clearFailures',
  'appendAudit',
  'sweepExpired',
  'deleteCredential',
  'resetUser',
  'getTwoFactorSummaries',
  'updateUserSettings',
  'renameCredential',
  'completeLogin',
  'getSessionEpoch',
  'bumpSessionEpoch',
  'listAudit',
  'addCredential',
  'getCredential',
  'getTenantSettings',
  'putTenantSettings',
  'rotateChallenge',
] as const;

const POLICY_QUESTIONS = [
  'loginRequirement',
  'canEnroll',
  'canAddMethod',
  'canSetUseTwoFactor',
  'canSetMayToggle',
  'canSkipSetup',
  'canReset',
  'canResetOwn',
  'canRemoveDevice',
  'canRegenerateBackupCodes',
  'canViewTwoFactorStatus',
  'failureLimits',
  'lifecycle',
  'canReplaceDevice',
  'codeFormat',
  'voiceDeliveryChannel',
] as const;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

function seconds(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback * 1000;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(name, `must be a whole number of seconds from ${min} to ${max}`);
  }
  return value * 1000;
}

function checkStore(store: unknown): SecondFactorStore {
  if (!isObject(store)) throw invalidArgument('options.store', 'must be a SecondFactorStore');
  for (const method of STORE_METHODS) {
    if (typeof store[method] !== 'function') {
      throw invalidArgument('options.store', `must be a SecondFactorStore (it has no ${method} method)`);
    }
  }
  return store as unknown as SecondFactorStore;
}

function checkPolicy(policy: unknown): Policy {
  if (!isObject(policy) || !isObject(policy.settings)) {
    throw invalidArgument('options.policy', 'must come from createPolicy of @secondfactor/policy');
  }
  for (const question of POLICY_QUESTIONS) {
    if (typeof policy[question] !== 'function') {
      throw invalidArgument('options.policy', 'must come from createPolicy of @secondfactor/policy');
    }
  }
  return policy as unknown as Policy;
}

function checkHasher(options: TwoFactorOptions): BackupCodeHasher {
  const { backupCodeKey: key, backupCodeHasher: hasher } = options;
  if ((key === undefined) === (hasher === undefined)) {
    throw invalidArgument('options.backupCodeKey', 'or options.backupCodeHasher is required, not both');
  }
  if (hasher !== undefined) {
    if (!isObject(hasher) || typeof hasher.digest !== 'function' || typeof hasher.newSalt !== 'function') {
      throw invalidArgument('options.backupCodeHasher', 'must come from createBackupCodeHasher');
    }
    return hasher;
  }
  if (!(key instanceof Uint8Array)) throw invalidArgument('options.backupCodeKey', 'must be a Uint8Array');
  // createBackupCodeHasher checks the length and names its own option; name ours instead.
  try {
    return createBackupCodeHasher({ key });
  } catch {
    throw invalidArgument('options.backupCodeKey', 'must be at least 32 random bytes');
  }
}

function checkIssuer(issuer: unknown): string {
  if (typeof issuer !== 'string' || issuer.trim() === '' || issuer.length > 255 || issuer.includes(':')) {
    throw invalidArgument(
      'options.issuer',
      'must be a non-empty string of at most 255 characters without ":"',
    );
  }
  return issuer;
}

function checkClock(clock: unknown): () => number {
  if (clock === undefined) return Date.now;
  if (typeof clock !== 'function') throw invalidArgument('options.clock', 'must be a function');
  return () => {
    const now: unknown = clock();
    assertTime('options.clock()', now);
    return now;
  };
}

function checkRandom(random: unknown): RandomSource {
  if (random === undefined) return (bytes) => crypto.getRandomValues(bytes);
  if (typeof random !== 'function') throw invalidArgument('options.random', 'must be a function');
  // Tried once here, so a source that fills nothing fails at start-up, not at the first enrollment.
  fillRandom(random as RandomSource, new Uint8Array(16), 'options.random');
  return random as RandomSource;
}

function checkOptional<T>(name: string, value: unknown): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw invalidArgument(name, 'must be a function');
  return value as T | undefined;
}

function checkCacheSize(value: unknown): number {
  if (value === undefined) return 10_000;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1_000_000) {
    throw invalidArgument('options.credentialCacheSize', 'must be a whole number from 0 to 1000000');
  }
  return value;
}

function checkSessions(value: unknown): SessionHooks | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value) || typeof value.revokeOthers !== 'function') {
    throw invalidArgument('options.sessions', 'must be an object with a revokeOthers function');
  }
  return value as unknown as SessionHooks;
}

/** Validates the options of `createTwoFactor`. @internal */
export function resolveOptions(options: TwoFactorOptions): ServiceContext {
  if (!isObject(options)) throw invalidArgument('options', 'must be an object');
  const store = checkStore(options.store);
  const box: unknown = options.secretBox;
  // Duck-typed, so a SecretBox of a second installed copy of the store package is accepted too.
  if (!isObject(box) || typeof box.seal !== 'function' || typeof box.open !== 'function') {
    throw invalidArgument('options.secretBox', 'must be a SecretBox of @secondfactor/store');
  }
  const policy = checkPolicy(options.policy);
  const random = checkRandom(options.random);
  const tenantFeatures = checkOptional<TenantFeatures>('options.tenantFeatures', options.tenantFeatures);
  if (policy.settings.usesFeatures && tenantFeatures === undefined) {
    throw invalidArgument(
      'options.tenantFeatures',
      'is required: the policy names tenant features, and the service must not read them as none',
    );
  }
  const channels = checkChannels(options.channels, policy);
  const telegram = checkTelegram(options.channels);
  const codeKey = checkCodeKey(options.codeKey, options.backupCodeKey, channels);
  if (telegram !== undefined && codeKey === undefined) {
    throw invalidArgument(
      'options.codeKey',
      'is required with options.channels.telegram when only a backupCodeHasher is given (32 random bytes)',
    );
  }
  return {
    store,
    secretBox: options.secretBox,
    hasher: checkHasher(options),
    policy,
    issuer: checkIssuer(options.issuer),
    now: checkClock(options.clock),
    random,
    ids: new IdSource(random),
    tenantFeatures,
    onEvent: checkOptional<TwoFactorEventListener>('options.onEvent', options.onEvent),
    loginTtlMs: seconds('options.loginTtlSeconds', options.loginTtlSeconds, 300, 30, 600),
    enrollmentTtlMs: seconds('options.enrollmentTtlSeconds', options.enrollmentTtlSeconds, 600, 60, 3600),
    credentials: new CredentialCache(checkCacheSize(options.credentialCacheSize)),
    epochs: new EpochCache(
      seconds('options.sessionEpochCacheSeconds', options.sessionEpochCacheSeconds, 0, 0, 60),
    ),
    sessions: checkSessions(options.sessions),
    channels,
    telegram,
    codeKey,
    sendLimits: checkSendLimits(options.sendLimits),
  };
}
