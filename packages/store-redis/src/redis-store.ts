/**
 * @module
 * `RedisStore`: the storage contract of secondfactor on Redis. Every method validates its arguments,
 * then runs exactly one Lua script (one round trip), so every check-and-write is atomic for all
 * processes sharing the server.
 */
import { SecondFactorError } from '@secondfactor/core';
import type {
  AuditEvent,
  BackupCodeSet,
  ChallengeRecord,
  ConfirmEnrollmentOptions,
  ConfirmEnrollmentResult,
  ConsumeBackupCodeResult,
  ConsumeChallengeResult,
  CredentialForVerification,
  CredentialForVerificationOptions,
  CredentialRecord,
  FailureLimits,
  FailureState,
  PendingEnrollmentRecord,
  RecordOtpUseOptions,
  ResetUserResult,
  SecondFactorStore,
  StoreCapabilities,
  TrustedDeviceRecord,
  TwoFactorSummary,
  UserSettings,
} from '@secondfactor/store';
import * as audit from './ops/audit';
import * as backup from './ops/backup-codes';
import * as challenges from './ops/challenges';
import type { OpContext } from './ops/context';
import * as credentials from './ops/credentials';
import * as devices from './ops/devices';
import * as enrollment from './ops/enrollment';
import * as failures from './ops/failures';
import * as settings from './ops/settings';
import * as verification from './ops/verification';
import { loadScripts, type RedisLike, runScript } from './runner';

/**
 * Options of {@link RedisStore}.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisStore, type RedisStoreOptions } from '@secondfactor/store-redis';
 *
 * const options: RedisStoreOptions = { prefix: 'shop:2fa:', retentionMs: 7 * 86_400_000, durable: true };
 * const store = new RedisStore(new Redis(), options);
 * ```
 */
export interface RedisStoreOptions {
  /**
   * Prefix of every key the store writes: printable ASCII without spaces, braces, `*`, `?`, `[`, `]`, `\`.
   * @default 'sf:'
   */
  prefix?: string | undefined;
  /**
   * How long Redis keeps an expiring record (challenge, pending enrollment, trusted device, attempt
   * counter) after its end on the injected clock before its TTL removes it. Within this margin an expired
   * challenge still answers `expired` (not `not_found`), and a key's lockout count (the backoff) is remembered.
   * @default 86_400_000 (one day)
   */
  retentionMs?: number | undefined;
  /**
   * Declare the data durable (`capabilities.durable`): set it when the server persists (AOF with fsync).
   * @default false
   */
  durable?: boolean | undefined;
}

const PREFIX = /^[!-~]{1,64}$/;
const PREFIX_FORBIDDEN = /[{}*?[\]\\]/;

const invalid = (message: string): SecondFactorError => new SecondFactorError('invalid_argument', message);

/**
 * The storage contract on Redis (standalone or a primary with replicas; not Redis Cluster). The caller
 * owns the ioredis client: the store never connects, reconnects or quits it.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisStore } from '@secondfactor/store-redis';
 *
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
 * const store = new RedisStore(client, { prefix: 'myapp:2fa:' });
 * await store.recordOtpUse('cred-1', 57_000_001, { now: Date.now() }); // false: no such credential
 * ```
 */
export class RedisStore implements SecondFactorStore {
  readonly capabilities: StoreCapabilities;
  /** The key prefix in use. */
  readonly prefix: string;
  private readonly client: RedisLike;
  private readonly ctx: OpContext;

  constructor(client: RedisLike, options: RedisStoreOptions = {}) {
    if (typeof client !== 'object' || client === null || typeof client.call !== 'function') {
      throw invalid('client must be an ioredis client');
    }
    // Scripts reach keys of several hash slots (records, user and global indexes).
    if ((client as { isCluster?: unknown }).isCluster === true) {
      throw invalid('client must not be a Redis Cluster client: RedisStore needs a single primary');
    }
    if (typeof options !== 'object' || options === null) throw invalid('options must be an object');
    const prefix = options.prefix ?? 'sf:';
    if (typeof prefix !== 'string' || !PREFIX.test(prefix) || PREFIX_FORBIDDEN.test(prefix)) {
      throw invalid(
        'options.prefix must be 1 to 64 printable ASCII characters without spaces, braces or glob characters',
      );
    }
    const retentionMs = options.retentionMs ?? 86_400_000;
    if (!Number.isSafeInteger(retentionMs) || retentionMs < 1) {
      throw invalid('options.retentionMs must be a positive safe integer');
    }
    if (options.durable !== undefined && typeof options.durable !== 'boolean') {
      throw invalid('options.durable must be a boolean');
    }
    this.client = client;
    this.prefix = prefix;
    this.capabilities = { multiProcess: true, durable: options.durable ?? false };
    this.ctx = {
      run: (name, args) => runScript(client, prefix, name, args),
      retainMs: String(retentionMs),
    };
  }

  /**
   * Loads every script into the server's script cache now (`SCRIPT LOAD`), e.g. at start-up, so the
   * first call of each is already a single EVALSHA. Optional: without it the first call of a script on
   * a cold server costs one extra round trip (NOSCRIPT, then EVAL).
   */
  loadScripts(): Promise<void> {
    return loadScripts(this.client);
  }

  getUserSettings(userId: string): Promise<UserSettings | null> {
    return settings.getUserSettings(this.ctx, userId);
  }
  putUserSettings(value: UserSettings): Promise<void> {
    return settings.putUserSettings(this.ctx, value);
  }
  listUserSettings(
    tenantId: string,
    options?: { after?: string | undefined; limit?: number | undefined },
  ): Promise<UserSettings[]> {
    return settings.listUserSettings(this.ctx, tenantId, options);
  }
  getTwoFactorSummaries(userIds: readonly string[]): Promise<TwoFactorSummary[]> {
    return settings.getTwoFactorSummaries(this.ctx, userIds);
  }

  addCredential(credential: CredentialRecord): Promise<void> {
    return credentials.addCredential(this.ctx, credential);
  }
  getCredential(userId: string, credentialId: string): Promise<CredentialRecord | null> {
    return credentials.getCredential(this.ctx, userId, credentialId);
  }
  listCredentials(userId: string): Promise<CredentialRecord[]> {
    return credentials.listCredentials(this.ctx, userId);
  }
  deleteCredential(userId: string, credentialId: string): Promise<boolean> {
    return credentials.deleteCredential(this.ctx, userId, credentialId);
  }
  recordOtpUse(credentialId: string, step: number, options: RecordOtpUseOptions): Promise<boolean> {
    return verification.recordOtpUse(this.ctx, credentialId, step, options);
  }
  getCredentialForVerification(
    userId: string,
    credentialId: string,
    options: CredentialForVerificationOptions,
  ): Promise<CredentialForVerification> {
    return verification.getCredentialForVerification(this.ctx, userId, credentialId, options);
  }
  replaceCredentialSecret(credentialId: string, expected: string, next: string): Promise<boolean> {
    return credentials.replaceCredentialSecret(this.ctx, credentialId, expected, next);
  }
  listOtpCredentials(options: { after?: string | undefined; limit: number }): Promise<CredentialRecord[]> {
    return credentials.listOtpCredentials(this.ctx, options);
  }

  createPendingEnrollment(pending: PendingEnrollmentRecord): Promise<void> {
    return enrollment.createPendingEnrollment(this.ctx, pending);
  }
  getPendingEnrollment(
    userId: string,
    pendingId: string,
    now: number,
  ): Promise<PendingEnrollmentRecord | null> {
    return enrollment.getPendingEnrollment(this.ctx, userId, pendingId, now);
  }
  confirmEnrollment(
    userId: string,
    pendingId: string,
    options: ConfirmEnrollmentOptions,
  ): Promise<ConfirmEnrollmentResult> {
    return enrollment.confirmEnrollment(this.ctx, userId, pendingId, options);
  }
  deletePendingEnrollment(userId: string, pendingId: string): Promise<boolean> {
    return enrollment.deletePendingEnrollment(this.ctx, userId, pendingId);
  }

  replaceBackupCodes(
    userId: string,
    set: {
      digests: readonly string[];
      salt?: string | undefined;
      now: number;
      onlyIfNone?: boolean | undefined;
    },
  ): Promise<boolean> {
    return backup.replaceBackupCodes(this.ctx, userId, set);
  }
  getBackupCodeSet(userId: string): Promise<BackupCodeSet | null> {
    return backup.getBackupCodeSet(this.ctx, userId);
  }
  consumeBackupCode(userId: string, digest: string, now: number): Promise<ConsumeBackupCodeResult> {
    return backup.consumeBackupCode(this.ctx, userId, digest, now);
  }

  createChallenge(challenge: ChallengeRecord): Promise<void> {
    return challenges.createChallenge(this.ctx, challenge);
  }
  getChallenge(userId: string, challengeId: string): Promise<ChallengeRecord | null> {
    return challenges.getChallenge(this.ctx, userId, challengeId);
  }
  consumeChallenge(
    userId: string,
    challengeId: string,
    digest: string,
    now: number,
  ): Promise<ConsumeChallengeResult> {
    return challenges.consumeChallenge(this.ctx, userId, challengeId, digest, now);
  }
  rotateChallenge(
    userId: string,
    challengeId: string,
    next: { digest: string; expiresAt: number; now: number },
  ): Promise<ChallengeRecord | null> {
    return challenges.rotateChallenge(this.ctx, userId, challengeId, next);
  }
  deleteChallenge(userId: string, challengeId: string): Promise<boolean> {
    return challenges.deleteChallenge(this.ctx, userId, challengeId);
  }

  registerFailure(key: string, now: number, limits: FailureLimits): Promise<FailureState> {
    return failures.registerFailure(this.ctx, key, now, limits);
  }
  getFailures(key: string, now: number): Promise<FailureState> {
    return failures.getFailures(this.ctx, key, now);
  }
  clearFailures(key: string): Promise<void> {
    return failures.clearFailures(this.ctx, key);
  }

  addTrustedDevice(device: TrustedDeviceRecord): Promise<void> {
    return devices.addTrustedDevice(this.ctx, device);
  }
  findTrustedDevice(userId: string, digest: string, now: number): Promise<TrustedDeviceRecord | null> {
    return devices.findTrustedDevice(this.ctx, userId, digest, now);
  }
  revokeTrustedDevices(userId: string): Promise<number> {
    return devices.revokeTrustedDevices(this.ctx, userId);
  }

  resetUser(userId: string): Promise<ResetUserResult> {
    return settings.resetUser(this.ctx, userId);
  }

  appendAudit(event: AuditEvent): Promise<void> {
    return audit.appendAudit(this.ctx, event);
  }
  listAudit(filter: {
    userId?: string | undefined;
    tenantId?: string | undefined;
    since?: number | undefined;
    limit?: number | undefined;
  }): Promise<AuditEvent[]> {
    return audit.listAudit(this.ctx, filter);
  }

  /** Nothing to release: the caller owns the client and quits it (`client.quit()`). */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
