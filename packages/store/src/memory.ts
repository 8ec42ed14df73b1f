/**
 * @module
 * `MemoryStore`: the complete store contract in one process's memory, for tests, examples and
 * single-process apps, with an optional JSON snapshot file. Every primitive checks and writes without an
 * `await` in between, so concurrent async calls see it as one atomic step. The primitives live in
 * `memory-users.ts`, `memory-flows.ts` and `memory-guards.ts`; this class binds them to one state as the
 * operations of a `CheckedStore`, which checks every argument first.
 */
import { SecondFactorError } from '@secondfactor/core';
import { CheckedStore } from './adapter/checked-store';
import type { StoreOperations } from './adapter/operations';
import { MemoryCore } from './memory-core';
import * as flows from './memory-flows';
import * as guards from './memory-guards';
import { serializeState } from './memory-state';
import { sweepExpired } from './memory-sweep';
import * as users from './memory-users';
import { assertOptions } from './validate';

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
    getUserSettings: (...a) => users.getUserSettings(core, ...a),
    putUserSettings: (...a) => users.putUserSettings(core, ...a),
    listUserSettings: (...a) => users.listUserSettings(core, ...a),
    getTwoFactorSummaries: (...a) => users.getTwoFactorSummaries(core, ...a),
    addCredential: (...a) => users.addCredential(core, ...a),
    getCredential: (...a) => users.getCredential(core, ...a),
    listCredentials: (...a) => users.listCredentials(core, ...a),
    deleteCredential: (...a) => users.deleteCredential(core, ...a),
    recordOtpUse: (...a) => users.recordOtpUse(core, ...a),
    getCredentialForVerification: (...a) => users.getCredentialForVerification(core, ...a),
    replaceCredentialSecret: (...a) => users.replaceCredentialSecret(core, ...a),
    listOtpCredentials: (...a) => users.listOtpCredentials(core, ...a),
    createPendingEnrollment: (...a) => flows.createPendingEnrollment(core, ...a),
    getPendingEnrollment: (...a) => flows.getPendingEnrollment(core, ...a),
    confirmEnrollment: (...a) => flows.confirmEnrollment(core, ...a),
    deletePendingEnrollment: (...a) => flows.deletePendingEnrollment(core, ...a),
    replaceBackupCodes: (...a) => flows.replaceBackupCodes(core, ...a),
    getBackupCodeSet: (...a) => flows.getBackupCodeSet(core, ...a),
    consumeBackupCode: (...a) => flows.consumeBackupCode(core, ...a),
    createChallenge: (...a) => flows.createChallenge(core, ...a),
    getChallenge: (...a) => flows.getChallenge(core, ...a),
    consumeChallenge: (...a) => flows.consumeChallenge(core, ...a),
    rotateChallenge: (...a) => flows.rotateChallenge(core, ...a),
    deleteChallenge: (...a) => flows.deleteChallenge(core, ...a),
    registerFailure: (...a) => guards.registerFailure(core, ...a),
    getFailures: (...a) => guards.getFailures(core, ...a),
    clearFailures: (...a) => guards.clearFailures(core, ...a),
    addTrustedDevice: (...a) => guards.addTrustedDevice(core, ...a),
    findTrustedDevice: (...a) => guards.findTrustedDevice(core, ...a),
    revokeTrustedDevices: (...a) => guards.revokeTrustedDevices(core, ...a),
    resetUser: (...a) => guards.resetUser(core, ...a),
    sweepExpired: (...a) => sweepExpired(core, ...a),
    appendAudit: (...a) => guards.appendAudit(core, ...a),
    listAudit: (...a) => guards.listAudit(core, ...a),
    // Waits for the last snapshot write. The store stays usable.
    close: () => core.flush(),
  };
}

/**
 * The contract (`SecondFactorStore`) in memory. Atomic under concurrent async calls of one
 * process (`capabilities.multiProcess` is false); records are copied in and out, so no caller can
 * change stored state through an object it passed or received; fields outside the record types are
 * dropped. Expired pending enrollments and trusted devices read as absent. `close()` waits for the last
 * snapshot write; the store stays usable.
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
   * const dump = new MemoryStore().exportSnapshot(); // '{"version":1,"settings":[],…}'
   * ```
   */
  exportSnapshot(): string {
    return serializeState(this.core.state);
  }
}
