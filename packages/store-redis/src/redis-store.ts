/**
 * @module
 * `RedisStore`: the storage contract of secondfactor on Redis. Every method checks its arguments
 * (`CheckedStore`), then runs Lua scripts: on a single node exactly one (one round trip), so every
 * check-and-write is atomic for all processes sharing the server; on a Redis Cluster one per slot it
 * touches (README: Redis Cluster).
 */
import { SecondFactorError } from '@secondfactor/core';
import { MAX_DURATION } from '@secondfactor/store';
import { CheckedStore, type StoreOperations } from '@secondfactor/store/adapter';
import { keyNames } from './keys';
import * as audit from './ops/audit';
import * as backup from './ops/backup-codes';
import * as challenges from './ops/challenges';
import type { OpContext } from './ops/context';
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
 * The storage contract on Redis: a single node (standalone, or a primary with replicas), or a Redis
 * Cluster when given an ioredis `Cluster` client. The caller owns the client: the store never connects,
 * reconnects or quits it.
 *
 * @example
 * ```ts
 * import { Cluster, Redis } from 'ioredis';
 * import { RedisStore } from '@secondfactor/store-redis';
 *
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
 * const store = new RedisStore(client, { prefix: 'myapp:2fa:' });
 * await store.recordOtpUse('user-1', 'cred-1', { step: 57_000_001, now: Date.now() }); // false: no such credential
 *
 * // The same on a Redis Cluster: the keys of one user share a slot.
 * const cluster = new Cluster([{ host: '127.0.0.1', port: 7000 }]);
 * const clustered = new RedisStore(cluster, { prefix: 'myapp:2fa:' });
 * await clustered.loadScripts(); // on every master
 * ```
 */
export class RedisStore extends CheckedStore {
  /** The key prefix in use. */
  readonly prefix: string;
  private readonly client: RedisLike;

  /** A store over `client` under `options.prefix`. Throws `invalid_argument` for a bad client or option. */
  constructor(client: RedisLike, options: RedisStoreOptions = {}) {
    if (typeof client !== 'object' || client === null || typeof client.call !== 'function') {
      throw invalid('client must be an ioredis client');
    }
    const cluster = client.isCluster === true;
    if (cluster && typeof client.nodes !== 'function') {
      throw invalid(
        'client is a Redis Cluster client without nodes(): loadScripts could not reach every master',
      );
    }
    if (typeof options !== 'object' || options === null) throw invalid('options must be an object');
    const prefix = options.prefix ?? 'sf:';
    if (typeof prefix !== 'string' || !PREFIX.test(prefix) || PREFIX_FORBIDDEN.test(prefix)) {
      throw invalid(
        'options.prefix must be 1 to 64 printable ASCII characters without spaces, braces or glob characters',
      );
    }
    const retentionMs = options.retentionMs ?? 86_400_000;
    if (!Number.isSafeInteger(retentionMs) || retentionMs < 1 || retentionMs > MAX_DURATION) {
      throw invalid(
        `options.retentionMs must be a duration of 1 to ${MAX_DURATION} milliseconds (ten years)`,
      );
    }
    if (options.durable !== undefined && typeof options.durable !== 'boolean') {
      throw invalid('options.durable must be a boolean');
    }
    const ctx: OpContext = {
      run: (name, keys, args) => runScript(client, name, keys, args),
      key: keyNames(prefix),
      cluster,
      retainMs: retentionMs,
    };
    super({ multiProcess: true, durable: options.durable ?? false }, redisOperations(ctx));
    this.client = client;
    this.prefix = prefix;
  }

  /**
   * Loads every script into the script cache now (`SCRIPT LOAD`), e.g. at start-up: on the server, or on
   * every master of a cluster. The first call of each script is then already a single EVALSHA.
   * Optional: without it the first call of a script on a cold node costs one extra round trip
   * (NOSCRIPT, then EVAL). Run it again after adding a master to a cluster.
   *
   * @example
   * ```ts
   * import { Redis } from 'ioredis';
   * import { RedisStore } from '@secondfactor/store-redis';
   *
   * const store = new RedisStore(new Redis());
   * await store.loadScripts();
   * ```
   */
  loadScripts(): Promise<void> {
    return loadScripts(this.client);
  }
}

// Every primitive over `ctx`; `CheckedStore` hands each its checked arguments.
function redisOperations(ctx: OpContext): StoreOperations {
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
    getSessionEpoch: (...a) => sessions.getSessionEpoch(ctx, ...a),
    bumpSessionEpoch: (...a) => sessions.bumpSessionEpoch(ctx, ...a),
    getTenantSettings: (...a) => tenants.getTenantSettings(ctx, ...a),
    putTenantSettings: (...a) => tenants.putTenantSettings(ctx, ...a),
    // Every record that can lapse carries a TTL: Redis removes it, so the sweep is a no-op (ops/sweep.ts).
    sweepExpired: (...a) => sweepExpired(ctx, ...a),
    appendAudit: (...a) => audit.appendAudit(ctx, ...a),
    listAudit: (...a) => audit.listAudit(ctx, ...a),
    // Nothing to release: the caller owns the client and quits it (`client.quit()`).
    close: async () => undefined,
  };
}
