/**
 * @module
 * `MemoryStore`: the complete store contract in one process's memory, for tests, examples and
 * single-process apps, with an optional JSON snapshot file. Every primitive checks and writes without an
 * `await` in between, so concurrent async calls see it as one atomic step. The primitives live in
 * `ops/<record>.ts`, one file per record as in every bundled store (the README's "Layout"); this class
 * binds them to one state as the operations of a `CheckedStore`, which checks every argument (and copies
 * every record) before an operation runs.
 */
import { SecondFactorError } from '@secondfactor/core';
import { CheckedStore } from '../adapter/checked-store';
import type { StoreOperations } from '../adapter/operations';
import { assertOptions } from '../validate';
import { MemoryCore } from './core';
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
import { serializeState } from './state';

/**
 * Options of {@link MemoryStore}.
 *
 * @example
 * ```ts
 * import { MemoryStore, type MemoryStoreOptions } from '@secondfactor/store';
 *
 * const options: MemoryStoreOptions = { snapshotFile: './.data/2fa.json' };
 * const store = await MemoryStore.open(options);
 * ```
 */
export interface MemoryStoreOptions {
  /**
   * A JSON file the state is loaded from on first use and written to after every change (temporary
   * file + rename). Node only. Meant for examples that should survive a restart, not for production.
   * @default undefined (memory only)
   */
  snapshotFile?: string | undefined;
}

// Every primitive bound to one state; `CheckedStore` hands each its checked arguments.
function memoryOperations(core: MemoryCore): StoreOperations {
  return {
    getUserSettings: (...a) => settings.getUserSettings(core, ...a),
    putUserSettings: (...a) => settings.putUserSettings(core, ...a),
    updateUserSettings: (...a) => settings.updateUserSettings(core, ...a),
    listUserSettings: (...a) => settings.listUserSettings(core, ...a),
    getTwoFactorSummaries: (...a) => settings.getTwoFactorSummaries(core, ...a),
    addCredential: (...a) => credentials.addCredential(core, ...a),
    getCredential: (...a) => credentials.getCredential(core, ...a),
    listCredentials: (...a) => credentials.listCredentials(core, ...a),
    deleteCredential: (...a) => credentials.deleteCredential(core, ...a),
    renameCredential: (...a) => credentials.renameCredential(core, ...a),
    switchCredential: (...a) => credentials.switchCredential(core, ...a),
    listAddressHolders: (...a) => credentials.listAddressHolders(core, ...a),
    recordOtpUse: (...a) => verification.recordOtpUse(core, ...a),
    getCredentialForVerification: (...a) => verification.getCredentialForVerification(core, ...a),
    replaceCredentialSecret: (...a) => credentials.replaceCredentialSecret(core, ...a),
    listOtpCredentials: (...a) => credentials.listOtpCredentials(core, ...a),
    createPendingEnrollment: (...a) => enrollment.createPendingEnrollment(core, ...a),
    getPendingEnrollment: (...a) => enrollment.getPendingEnrollment(core, ...a),
    confirmEnrollment: (...a) => enrollment.confirmEnrollment(core, ...a),
    deletePendingEnrollment: (...a) => enrollment.deletePendingEnrollment(core, ...a),
    replaceBackupCodes: (...a) => backup.replaceBackupCodes(core, ...a),
    getBackupCodeSet: (...a) => backup.getBackupCodeSet(core, ...a),
    consumeBackupCode: (...a) => backup.consumeBackupCode(core, ...a),
    createChallenge: (...a) => challenges.createChallenge(core, ...a),
    getChallenge: (...a) => challenges.getChallenge(core, ...a),
    consumeChallenge: (...a) => challenges.consumeChallenge(core, ...a),
    rotateChallenge: (...a) => challenges.rotateChallenge(core, ...a),
    deleteChallenge: (...a) => challenges.deleteChallenge(core, ...a),
    completeLogin: (...a) => completeLogin(core, ...a),
    failLogin: (...a) => failLogin(core, ...a),
    registerFailure: (...a) => failures.registerFailure(core, ...a),
    getFailures: (...a) => failures.getFailures(core, ...a),
    clearFailures: (...a) => failures.clearFailures(core, ...a),
    addTrustedDevice: (...a) => devices.addTrustedDevice(core, ...a),
    findTrustedDevice: (...a) => devices.findTrustedDevice(core, ...a),
    revokeTrustedDevices: (...a) => devices.revokeTrustedDevices(core, ...a),
    resetUser: (...a) => resetUser(core, ...a),
    getSessionEpoch: (...a) => sessions.getSessionEpoch(core, ...a),
    bumpSessionEpoch: (...a) => sessions.bumpSessionEpoch(core, ...a),
    getTenantSettings: (...a) => tenants.getTenantSettings(core, ...a),
    putTenantSettings: (...a) => tenants.putTenantSettings(core, ...a),
    sweepExpired: (...a) => sweepExpired(core, ...a),
    appendAudit: (...a) => audit.appendAudit(core, ...a),
    listAudit: (...a) => audit.listAudit(core, ...a),
    // Waits for the last snapshot write. The store stays usable.
    close: () => core.flush(),
  };
}

/**
 * The contract ({@link SecondFactorStore}, where every guarantee is stated) in memory. Atomic under
 * concurrent async calls of one process (`capabilities.multiProcess` is false); records are copied in
 * and out, so no caller can change stored state through an object it passed or received; fields outside
 * the record types are dropped. `close()` waits for the last snapshot write; the store stays usable.
 *
 * @example
 * ```ts
 * import { MemoryStore } from '@secondfactor/store';
 *
 * const store = await MemoryStore.open({ snapshotFile: './.data/2fa.json' });
 * await store.recordOtpUse('user-1', 'cred-1', { step: 57_000_001, now: Date.now() }); // false: no such credential
 * ```
 */
export class MemoryStore extends CheckedStore {
  // TypeScript-private, not `#private`: test helpers that walk the object to inspect raw state see it.
  private readonly core: MemoryCore;

  /** A store in memory; with `snapshotFile`, loaded from and written to that file. */
  constructor(options: MemoryStoreOptions = {}) {
    assertOptions('options', options, false);
    const file = options.snapshotFile;
    if (file !== undefined && (typeof file !== 'string' || file === '')) {
      throw new SecondFactorError('invalid_argument', 'options.snapshotFile must be a non-empty path');
    }
    const core = new MemoryCore(file);
    super({ multiProcess: false, durable: file !== undefined }, memoryOperations(core));
    this.core = core;
  }

  /**
   * A store whose snapshot (if any) is already loaded, so a broken file fails here and not at first use.
   *
   * @throws {SecondFactorError} `store_unavailable` when the snapshot file is not a valid snapshot.
   * @example
   * ```ts
   * import { MemoryStore } from '@secondfactor/store';
   *
   * const store = await MemoryStore.open({ snapshotFile: '/tmp/2fa.json' });
   * ```
   */
  static async open(options: MemoryStoreOptions = {}): Promise<MemoryStore> {
    const store = new MemoryStore(options);
    await store.core.ready();
    return store;
  }

  /**
   * The whole state as JSON, exactly what a snapshot file holds (ciphertexts and digests only).
   * Conformance tests use it as the raw dump.
   *
   * @example
   * ```ts
   * import { MemoryStore } from '@secondfactor/store';
   *
   * const dump = new MemoryStore().exportSnapshot(); // '{"version":4,"settings":[],…}'
   * ```
   */
  exportSnapshot(): string {
    return serializeState(this.core.state);
  }
}
