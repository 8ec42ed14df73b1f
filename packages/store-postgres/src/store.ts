/**
 * @module
 * `PostgresStore`: the secondfactor store contract on PostgreSQL. Every atomic primitive is one SQL
 * statement, decided by the server under its row locks, so the guarantees hold across any number of
 * application processes sharing the database.
 */
import { SecondFactorError } from '@secondfactor/core';
import type { StoreCapabilities } from '@secondfactor/store';
import { CheckedStore, type StoreOperations } from '@secondfactor/store/adapter';
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
import { failLogin } from './ops/fail-login';
import * as failures from './ops/failures';
import { completeLogin } from './ops/login';
import { resetUser } from './ops/reset';
import * as sessions from './ops/sessions';
import * as settings from './ops/settings';
import { sweepExpired } from './ops/sweep';
import * as tenants from './ops/tenants';
import * as verification from './ops/verification';
import { type PgClientOptions, type PgPoolLike, type PgQueryable, pgClient } from './pg';
import { embeddedCapabilities, type PGliteLike, pgliteClient } from './pglite';

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
 * const firstUse = await store.recordOtpUse('user-1', 'cred-1', { step: 57_000_001, now: Date.now() });
 * ```
 */
export class PostgresStore extends CheckedStore {
  readonly #client: SqlClient;
  readonly #ctx: Context;

  /**
   * A store over any {@link SqlClient}. Throws `invalid_argument` for a bad schema name. Its
   * `capabilities`: atomic across processes and durable over a PostgreSQL server; over PGlite
   * ({@link pgliteClient}) one process only, and durable only when the database is persisted.
   */
  constructor(client: SqlClient, options: PostgresStoreOptions = {}) {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new SecondFactorError('invalid_argument', 'options must be an object');
    }
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
    const ctx = createContext(client, tableNames(options.schema));
    const capabilities: StoreCapabilities = embeddedCapabilities(client) ?? {
      multiProcess: true,
      durable: true,
    };
    super(capabilities, postgresOperations(ctx));
    this.#client = client;
    this.#ctx = ctx;
  }

  /**
   * A store over a node-postgres `Pool` (recommended: statements of concurrent requests run in
   * parallel) or a connected `Client`. Its statements are named prepared statements, parsed and planned
   * once per connection; `preparedStatements: false` sends them unnamed (see {@link PgClientOptions}).
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
  static fromPg(
    driver: PgPoolLike | PgQueryable,
    options: PostgresStoreOptions & PgClientOptions = {},
  ): PostgresStore {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new SecondFactorError('invalid_argument', 'options must be an object');
    }
    const { preparedStatements, ...storeOptions } = options;
    return new PostgresStore(pgClient(driver, { preparedStatements }), storeOptions);
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
}

/**
 * Every primitive as one statement over `ctx`, from `ops/<record>.ts` (the README's "Layout", alike in
 * every bundled store); `CheckedStore` hands each its checked arguments. What each guarantees is stated
 * once, on `SecondFactorStore` (`@secondfactor/store`); how each statement achieves it:
 * `recordOtpUse`: `UPDATE … WHERE last_used_step < $step RETURNING` (RFC 6238 §5.2) and, in a CTE, the
 * `DELETE` of the `clearFailures` counters only if the update matched (E6). `getCredentialForVerification`:
 * one `SELECT` with two sub-selects. `confirmEnrollment`: delete the pending row, insert the credential,
 * delete the replaced ones. `replaceBackupCodes`: a new set generation, `onlyIfNone` decided by the set
 * row's primary key. `consumeBackupCode`: lock the set, delete the code row, decrement the count.
 * `consumeChallenge`: lock the row, decide, count the attempt or mark it consumed. `registerFailure`: one
 * `INSERT … ON CONFLICT DO UPDATE` that mirrors `nextFailureCounter`. `resetUser`: a DELETE per record kind.
 * `sweepExpired`: a DELETE per record kind, each picking lapsed rows through an expiry index, `SKIP LOCKED`.
 * `updateUserSettings`: one upsert whose conflict arm keeps each field the patch does not name.
 * `completeLogin`: lock the counters, the credential or backup code, and the challenge, decide once, then
 * every write of the step on that decision. `failLogin`: the counters upserted in key order, then the
 * challenge locked and its attempt counted, with the audit record, in one statement. `bumpSessionEpoch`: an upsert that increments.
 */
function postgresOperations(ctx: Context): StoreOperations {
  return {
    getUserSettings: (...a) => settings.getUserSettings(ctx, ...a),
    putUserSettings: (...a) => settings.putUserSettings(ctx, ...a),
    updateUserSettings: (...a) => settings.updateUserSettings(ctx, ...a),
    listUserSettings: (...a) => settings.listUserSettings(ctx, ...a),
    getTwoFactorSummaries: (...a) => settings.getTwoFactorSummaries(ctx, ...a),
    addCredential: (...a) => credentials.addCredential(ctx, ...a),
    getCredential: (...a) => credentials.getCredential(ctx, ...a),
    listCredentials: (...a) => credentials.listCredentials(ctx, ...a),
    deleteCredential: (...a) => credentials.deleteCredential(ctx, ...a),
    renameCredential: (...a) => credentials.renameCredential(ctx, ...a),
    switchCredential: (...a) => credentials.switchCredential(ctx, ...a),
    listAddressHolders: (...a) => credentials.listAddressHolders(ctx, ...a),
    recordOtpUse: (...a) => verification.recordOtpUse(ctx, ...a),
    getCredentialForVerification: (...a) => verification.getCredentialForVerification(ctx, ...a),
    replaceCredentialSecret: (...a) => credentials.replaceCredentialSecret(ctx, ...a),
    listOtpCredentials: (...a) => credentials.listOtpCredentials(ctx, ...a),
    createPendingEnrollment: (...a) => enrollment.createPendingEnrollment(ctx, ...a),
    getPendingEnrollment: (...a) => enrollment.getPendingEnrollment(ctx, ...a),
    confirmEnrollment: (...a) => enrollment.confirmEnrollment(ctx, ...a),
    deletePendingEnrollment: (...a) => enrollment.deletePendingEnrollment(ctx, ...a),
    replaceBackupCodes: (...a) => backup.replaceBackupCodes(ctx, ...a),
    getBackupCodeSet: (...a) => backup.getBackupCodeSet(ctx, ...a),
    consumeBackupCode: (...a) => backup.consumeBackupCode(ctx, ...a),
    createChallenge: (...a) => challenges.createChallenge(ctx, ...a),
    getChallenge: (...a) => challenges.getChallenge(ctx, ...a),
    consumeChallenge: (...a) => challenges.consumeChallenge(ctx, ...a),
    rotateChallenge: (...a) => challenges.rotateChallenge(ctx, ...a),
    deleteChallenge: (...a) => challenges.deleteChallenge(ctx, ...a),
    completeLogin: (...a) => completeLogin(ctx, ...a),
    failLogin: (...a) => failLogin(ctx, ...a),
    registerFailure: (...a) => failures.registerFailure(ctx, ...a),
    getFailures: (...a) => failures.getFailures(ctx, ...a),
    clearFailures: (...a) => failures.clearFailures(ctx, ...a),
    addTrustedDevice: (...a) => devices.addTrustedDevice(ctx, ...a),
    findTrustedDevice: (...a) => devices.findTrustedDevice(ctx, ...a),
    revokeTrustedDevices: (...a) => devices.revokeTrustedDevices(ctx, ...a),
    resetUser: (...a) => resetUser(ctx, ...a),
    sweepExpired: (...a) => sweepExpired(ctx, ...a),
    getSessionEpoch: (...a) => sessions.getSessionEpoch(ctx, ...a),
    bumpSessionEpoch: (...a) => sessions.bumpSessionEpoch(ctx, ...a),
    getTenantSettings: (...a) => tenants.getTenantSettings(ctx, ...a),
    putTenantSettings: (...a) => tenants.putTenantSettings(ctx, ...a),
    appendAudit: (...a) => audit.appendAudit(ctx, ...a),
    listAudit: (...a) => audit.listAudit(ctx, ...a),
    // Nothing to release: the pool or PGlite instance belongs to the application, which ends it.
    close: async () => undefined,
  };
}
