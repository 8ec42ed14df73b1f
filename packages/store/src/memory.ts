/**
 * @module
 * `MemoryStore`: the complete store contract in one process's memory, for tests, examples and
 * single-process apps, with an optional JSON snapshot file. Every primitive checks and writes without an
 * `await` in between, so concurrent async calls see it as one atomic step. The primitives live in
 * `memory-users.ts`, `memory-flows.ts` and `memory-guards.ts`; this class binds them to one state.
 */
import { SecondFactorError } from '@secondfactor/core';
import { assertOptions } from './arguments';
import { MemoryCore } from './memory-core';
import * as flows from './memory-flows';
import * as guards from './memory-guards';
import { serializeState } from './memory-state';
import * as users from './memory-users';
import type { SecondFactorStore, StoreCapabilities } from './store';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * A JSON file the state is loaded from on first use and written to after every change (temporary
   * file + rename). Node only. Meant for examples that should survive a restart, not for production.
   * @default undefined (memory only)
   */
  snapshotFile?: string | undefined;
}

type Method<K extends keyof SecondFactorStore> = SecondFactorStore[K] extends (...args: infer A) => infer R
  ? (...args: A) => R
  : never;

/**
 * The contract of {@link SecondFactorStore} in memory. Atomic under concurrent async calls of one
 * process (`capabilities.multiProcess` is false); records are copied in and out, so no caller can
 * change stored state through an object it passed or received; fields outside the record types are
 * dropped. Expired pending enrollments and trusted devices read as absent.
 *
 * @example
 * ```ts
 * import { MemoryStore } from '@secondfactor/store';
 *
 * const store = await MemoryStore.open({ snapshotFile: './.data/2fa.json' });
 * await store.recordOtpUse('cred-1', 57_000_001, { now: Date.now() }); // false: no such credential
 * ```
 */
export class MemoryStore implements SecondFactorStore {
  readonly capabilities: StoreCapabilities;
  // TypeScript-private, not `#private`: test helpers that walk the object to inspect raw state see it.
  private readonly core: MemoryCore;

  constructor(options: MemoryStoreOptions = {}) {
    assertOptions('options', options, false);
    const file = options.snapshotFile;
    if (file !== undefined && (typeof file !== 'string' || file === '')) {
      throw new SecondFactorError('invalid_argument', 'options.snapshotFile must be a non-empty path');
    }
    this.core = new MemoryCore(file);
    this.capabilities = { multiProcess: false, durable: file !== undefined };
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
   */
  exportSnapshot(): string {
    return serializeState(this.core.state);
  }

  getUserSettings: Method<'getUserSettings'> = (...a) => users.getUserSettings(this.core, ...a);
  putUserSettings: Method<'putUserSettings'> = (...a) => users.putUserSettings(this.core, ...a);
  listUserSettings: Method<'listUserSettings'> = (...a) => users.listUserSettings(this.core, ...a);
  getTwoFactorSummaries: Method<'getTwoFactorSummaries'> = (...a) =>
    users.getTwoFactorSummaries(this.core, ...a);
  addCredential: Method<'addCredential'> = (...a) => users.addCredential(this.core, ...a);
  getCredential: Method<'getCredential'> = (...a) => users.getCredential(this.core, ...a);
  listCredentials: Method<'listCredentials'> = (...a) => users.listCredentials(this.core, ...a);
  deleteCredential: Method<'deleteCredential'> = (...a) => users.deleteCredential(this.core, ...a);
  recordOtpUse: Method<'recordOtpUse'> = (...a) => users.recordOtpUse(this.core, ...a);
  getCredentialForVerification: Method<'getCredentialForVerification'> = (...a) =>
    users.getCredentialForVerification(this.core, ...a);
  replaceCredentialSecret: Method<'replaceCredentialSecret'> = (...a) =>
    users.replaceCredentialSecret(this.core, ...a);
  listOtpCredentials: Method<'listOtpCredentials'> = (...a) => users.listOtpCredentials(this.core, ...a);

  createPendingEnrollment: Method<'createPendingEnrollment'> = (...a) =>
    flows.createPendingEnrollment(this.core, ...a);
  getPendingEnrollment: Method<'getPendingEnrollment'> = (...a) =>
    flows.getPendingEnrollment(this.core, ...a);
  confirmEnrollment: Method<'confirmEnrollment'> = (...a) => flows.confirmEnrollment(this.core, ...a);
  deletePendingEnrollment: Method<'deletePendingEnrollment'> = (...a) =>
    flows.deletePendingEnrollment(this.core, ...a);
  replaceBackupCodes: Method<'replaceBackupCodes'> = (...a) => flows.replaceBackupCodes(this.core, ...a);
  getBackupCodeSet: Method<'getBackupCodeSet'> = (...a) => flows.getBackupCodeSet(this.core, ...a);
  consumeBackupCode: Method<'consumeBackupCode'> = (...a) => flows.consumeBackupCode(this.core, ...a);
  createChallenge: Method<'createChallenge'> = (...a) => flows.createChallenge(this.core, ...a);
  getChallenge: Method<'getChallenge'> = (...a) => flows.getChallenge(this.core, ...a);
  consumeChallenge: Method<'consumeChallenge'> = (...a) => flows.consumeChallenge(this.core, ...a);
  rotateChallenge: Method<'rotateChallenge'> = (...a) => flows.rotateChallenge(this.core, ...a);
  deleteChallenge: Method<'deleteChallenge'> = (...a) => flows.deleteChallenge(this.core, ...a);

  registerFailure: Method<'registerFailure'> = (...a) => guards.registerFailure(this.core, ...a);
  getFailures: Method<'getFailures'> = (...a) => guards.getFailures(this.core, ...a);
  clearFailures: Method<'clearFailures'> = (...a) => guards.clearFailures(this.core, ...a);
  addTrustedDevice: Method<'addTrustedDevice'> = (...a) => guards.addTrustedDevice(this.core, ...a);
  findTrustedDevice: Method<'findTrustedDevice'> = (...a) => guards.findTrustedDevice(this.core, ...a);
  revokeTrustedDevices: Method<'revokeTrustedDevices'> = (...a) =>
    guards.revokeTrustedDevices(this.core, ...a);
  resetUser: Method<'resetUser'> = (...a) => guards.resetUser(this.core, ...a);
  appendAudit: Method<'appendAudit'> = (...a) => guards.appendAudit(this.core, ...a);
  listAudit: Method<'listAudit'> = (...a) => guards.listAudit(this.core, ...a);

  /** Waits for the last snapshot write. The store stays usable. */
  async close(): Promise<void> {
    await this.core.flush();
  }
}
