/**
 * @module
 * `PostgresStore`: the secondfactor store contract on PostgreSQL. Every atomic primitive is one SQL
 * statement, decided by the server under its row locks, so the guarantees hold across any number of
 * application processes sharing the database.
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
import { assertOptions } from '@secondfactor/store';
import type { SqlClient } from './client';
import { type Context, createContext } from './context';
import { storeError } from './errors';
import { type MigrateResult, runMigrations } from './migrate';
import { tableNames } from './names';
import * as audit from './ops/audit';
import * as backup from './ops/backup-codes';
import * as challenges from './ops/challenges';
import * as credentials from './ops/credentials';
import * as devices from './ops/devices';
import * as enrollment from './ops/enrollment';
import * as failures from './ops/failures';
import { resetUser } from './ops/reset';
import * as settings from './ops/settings';
import { getCredentialForVerification } from './ops/verification';
import { type PgPoolLike, type PgQueryable, pgClient } from './pg';
import { type PGliteLike, pgliteClient } from './pglite';

/**
 * Options of {@link PostgresStore}.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { PostgresStore, type PostgresStoreOptions } from '@secondfactor/store-postgres';
 *
 * const options: PostgresStoreOptions = { schema: 'auth_2fa' };
 * const store = PostgresStore.fromPGlite(new PGlite(), options);
 * ```
 */
export interface PostgresStoreOptions {
  /**
   * The schema that holds the tables, created by `migrate()`. A lowercase identifier; one schema per
   * application or test run keeps them apart in one database.
   * @default 'secondfactor'
   */
  schema?: string | undefined;
}

/**
 * The store contract on PostgreSQL, through any {@link SqlClient}: a `pg` `Pool` or `Client`
 * ({@link PostgresStore.fromPg}) or an embedded PGlite database ({@link PostgresStore.fromPGlite}).
 * Run {@link PostgresStore.migrate} once at start-up (safe from several processes at once).
 *
 * The store never opens or ends connections: the pool or PGlite instance is the application's, and
 * `close()` leaves it open.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { PostgresStore } from '@secondfactor/store-postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const store = PostgresStore.fromPg(pool);
 * await store.migrate();
 * const firstUse = await store.recordOtpUse('cred-1', 57_000_001, { now: Date.now() });
 * ```
 */
export class PostgresStore implements SecondFactorStore {
  /** Atomic across processes, and durable. */
  readonly capabilities: StoreCapabilities = { multiProcess: true, durable: true };
  readonly #client: SqlClient;
  readonly #ctx: Context;

  /** A store over any {@link SqlClient}. Throws `invalid_argument` for a bad schema name. */
  constructor(client: SqlClient, options: PostgresStoreOptions = {}) {
    assertOptions('options', options, false);
    if (
      typeof client !== 'object' ||
      client === null ||
      typeof client.query !== 'function' ||
      typeof client.transaction !== 'function'
    ) {
      throw new SecondFactorError(
        'invalid_argument',
        'client must be a SqlClient with query() and transaction()',
      );
    }
    this.#client = client;
    this.#ctx = createContext(client, tableNames(options.schema));
  }

  /**
   * A store over a node-postgres `Pool` (recommended: statements of concurrent requests run in
   * parallel) or a connected `Client`.
   *
   * @example
   * ```ts
   * import pg from 'pg';
   * import { PostgresStore } from '@secondfactor/store-postgres';
   *
   * const store = PostgresStore.fromPg(new pg.Pool({ connectionString: process.env.DATABASE_URL }), {
   *   schema: 'auth_2fa',
   * });
   * ```
   */
  static fromPg(driver: PgPoolLike | PgQueryable, options?: PostgresStoreOptions): PostgresStore {
    return new PostgresStore(pgClient(driver), options);
  }

  /**
   * A store over an embedded PGlite database (in memory, or persisted to a directory).
   *
   * @example
   * ```ts
   * import { PGlite } from '@electric-sql/pglite';
   * import { PostgresStore } from '@secondfactor/store-postgres';
   *
   * const store = PostgresStore.fromPGlite(new PGlite('./.data/2fa'));
   * await store.migrate();
   * ```
   */
  static fromPGlite(db: PGliteLike, options?: PostgresStoreOptions): PostgresStore {
    return new PostgresStore(pgliteClient(db), options);
  }

  /**
   * Creates the schema and applies the missing migrations, each in its own transaction under an
   * advisory lock. Idempotent, and safe when several processes call it at the same time.
   *
   * @example
   * ```ts
   * import { PGlite } from '@electric-sql/pglite';
   * import { PostgresStore } from '@secondfactor/store-postgres';
   *
   * const { applied, version } = await PostgresStore.fromPGlite(new PGlite()).migrate();
   * ```
   */
  async migrate(): Promise<MigrateResult> {
    try {
      return await runMigrations(this.#client, this.#ctx.t);
    } catch (error) {
      throw storeError('migrate', error);
    }
  }

  getUserSettings(userId: string): Promise<UserSettings | null> {
    return settings.getUserSettings(this.#ctx, userId);
  }
  putUserSettings(value: UserSettings): Promise<void> {
    return settings.putUserSettings(this.#ctx, value);
  }
  listUserSettings(
    tenantId: string,
    options?: { after?: string | undefined; limit?: number | undefined },
  ): Promise<UserSettings[]> {
    return settings.listUserSettings(this.#ctx, tenantId, options);
  }
  getTwoFactorSummaries(userIds: readonly string[]): Promise<TwoFactorSummary[]> {
    return settings.getTwoFactorSummaries(this.#ctx, userIds);
  }

  addCredential(credential: CredentialRecord): Promise<void> {
    return credentials.addCredential(this.#ctx, credential);
  }
  getCredential(userId: string, credentialId: string): Promise<CredentialRecord | null> {
    return credentials.getCredential(this.#ctx, userId, credentialId);
  }
  listCredentials(userId: string): Promise<CredentialRecord[]> {
    return credentials.listCredentials(this.#ctx, userId);
  }
  deleteCredential(userId: string, credentialId: string): Promise<boolean> {
    return credentials.deleteCredential(this.#ctx, userId, credentialId);
  }
  /**
   * One statement: `UPDATE … WHERE last_used_step < $step RETURNING` (RFC 6238 §5.2) and, in a CTE, the
   * `DELETE` of the `clearFailures` counters only if the update matched (E6).
   */
  recordOtpUse(credentialId: string, step: number, options: RecordOtpUseOptions): Promise<boolean> {
    return credentials.recordOtpUse(this.#ctx, credentialId, step, options);
  }
  /** One `SELECT` with two sub-selects: the user's credential and the named counters, one snapshot. */
  getCredentialForVerification(
    userId: string,
    credentialId: string,
    options: CredentialForVerificationOptions,
  ): Promise<CredentialForVerification> {
    return getCredentialForVerification(this.#ctx, userId, credentialId, options);
  }
  replaceCredentialSecret(credentialId: string, expected: string, next: string): Promise<boolean> {
    return credentials.replaceCredentialSecret(this.#ctx, credentialId, expected, next);
  }
  listOtpCredentials(options: { after?: string | undefined; limit: number }): Promise<CredentialRecord[]> {
    return credentials.listOtpCredentials(this.#ctx, options);
  }

  createPendingEnrollment(pending: PendingEnrollmentRecord): Promise<void> {
    return enrollment.createPendingEnrollment(this.#ctx, pending);
  }
  getPendingEnrollment(
    userId: string,
    pendingId: string,
    now: number,
  ): Promise<PendingEnrollmentRecord | null> {
    return enrollment.getPendingEnrollment(this.#ctx, userId, pendingId, now);
  }
  /** One statement: delete the pending row, insert the credential, delete the replaced ones. */
  confirmEnrollment(
    userId: string,
    pendingId: string,
    options: ConfirmEnrollmentOptions,
  ): Promise<ConfirmEnrollmentResult> {
    return enrollment.confirmEnrollment(this.#ctx, userId, pendingId, options);
  }
  deletePendingEnrollment(userId: string, pendingId: string): Promise<boolean> {
    return enrollment.deletePendingEnrollment(this.#ctx, userId, pendingId);
  }

  /**
   * One statement: a new set generation, the old codes deleted, the new ones inserted. `onlyIfNone` is
   * decided by the set row's primary key in that statement.
   */
  replaceBackupCodes(
    userId: string,
    set: {
      digests: readonly string[];
      salt?: string | undefined;
      now: number;
      onlyIfNone?: boolean | undefined;
    },
  ): Promise<boolean> {
    return backup.replaceBackupCodes(this.#ctx, userId, set);
  }
  getBackupCodeSet(userId: string): Promise<BackupCodeSet | null> {
    return backup.getBackupCodeSet(this.#ctx, userId);
  }
  /** One statement: lock the set, delete the code row, decrement the count. */
  consumeBackupCode(userId: string, digest: string, now: number): Promise<ConsumeBackupCodeResult> {
    return backup.consumeBackupCode(this.#ctx, userId, digest, now);
  }

  createChallenge(challenge: ChallengeRecord): Promise<void> {
    return challenges.createChallenge(this.#ctx, challenge);
  }
  getChallenge(userId: string, challengeId: string): Promise<ChallengeRecord | null> {
    return challenges.getChallenge(this.#ctx, userId, challengeId);
  }
  /** One statement: lock the row, decide the outcome, count the attempt or mark it consumed. */
  consumeChallenge(
    userId: string,
    challengeId: string,
    digest: string,
    now: number,
  ): Promise<ConsumeChallengeResult> {
    return challenges.consumeChallenge(this.#ctx, userId, challengeId, digest, now);
  }
  rotateChallenge(
    userId: string,
    challengeId: string,
    next: { digest: string; expiresAt: number; now: number },
  ): Promise<ChallengeRecord | null> {
    return challenges.rotateChallenge(this.#ctx, userId, challengeId, next);
  }
  deleteChallenge(userId: string, challengeId: string): Promise<boolean> {
    return challenges.deleteChallenge(this.#ctx, userId, challengeId);
  }

  /** One `INSERT … ON CONFLICT DO UPDATE` that mirrors `nextFailureCounter`. */
  registerFailure(key: string, now: number, limits: FailureLimits): Promise<FailureState> {
    return failures.registerFailure(this.#ctx, key, now, limits);
  }
  getFailures(key: string, now: number): Promise<FailureState> {
    return failures.getFailures(this.#ctx, key, now);
  }
  clearFailures(key: string): Promise<void> {
    return failures.clearFailures(this.#ctx, key);
  }

  addTrustedDevice(device: TrustedDeviceRecord): Promise<void> {
    return devices.addTrustedDevice(this.#ctx, device);
  }
  findTrustedDevice(userId: string, digest: string, now: number): Promise<TrustedDeviceRecord | null> {
    return devices.findTrustedDevice(this.#ctx, userId, digest, now);
  }
  revokeTrustedDevices(userId: string): Promise<number> {
    return devices.revokeTrustedDevices(this.#ctx, userId);
  }

  /** One statement with a DELETE per record kind; settings stay. */
  resetUser(userId: string): Promise<ResetUserResult> {
    return resetUser(this.#ctx, userId);
  }

  appendAudit(event: AuditEvent): Promise<void> {
    return audit.appendAudit(this.#ctx, event);
  }
  listAudit(filter: {
    userId?: string | undefined;
    tenantId?: string | undefined;
    since?: number | undefined;
    limit?: number | undefined;
  }): Promise<AuditEvent[]> {
    return audit.listAudit(this.#ctx, filter);
  }

  /** Nothing to release: the pool or PGlite instance belongs to the application, which ends it. */
  async close(): Promise<void> {}
}
