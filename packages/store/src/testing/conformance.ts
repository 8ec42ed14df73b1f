/**
 * @module
 * `runStoreConformance`: the one vitest suite every store adapter passes. It is the executable
 * specification of the contract in `store.ts`; each group lives in its own file beside this one.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { SecondFactorStore } from '../store';
import { auditTests } from './audit';
import { backupCodeTests } from './backup-codes';
import { onlyIfNoneTests } from './backup-codes-only-if-none';
import { type ProcessWorker, processRaceTests } from './capabilities';
import { challengeTests } from './challenges';
import { credentialRenameTests } from './credentials-rename';
import { addressHolderTests, credentialSwitchTests } from './credentials-switch';
import { durabilityTests } from './durability';
import { enrollmentTests } from './enrollment';
import { failureTests } from './failures';
import type { SuiteContext } from './fixtures';
import { completeLoginTests } from './login-complete';
import { failLoginTests } from './login-fail';
import { raceTests } from './races';
import { rawInspectionTests } from './raw-inspection';
import { sessionEpochTests } from './sessions';
import { credentialTests, settingsTests } from './settings-and-credentials';
import { settingsUpdateTests } from './settings-update';
import { sweepTests } from './sweep';
import { tenantSettingsTests } from './tenant-settings';
import { resetUserTests, trustedDeviceTests } from './trusted-devices-and-reset';
import { validationTests } from './validation';
import { recordValidationTests } from './validation-records';
import { settingsAndLoginValidationTests } from './validation-settings-login';
import { switchAndAddressValidationTests } from './validation-switch-address';
import { verificationTests } from './verification';
import { warmVerificationTests } from './verification-warm';

/**
 * What an adapter hands the suite.
 *
 * @example
 * ```ts
 * import { MemoryStore } from '@secondfactor/store';
 * import { type ConformanceTarget, runStoreConformance } from '@secondfactor/store/testing';
 *
 * runStoreConformance('memory', async (): Promise<ConformanceTarget> => {
 *   const store = new MemoryStore();
 *   return { store, dumpRaw: async () => store.exportSnapshot(), close: () => store.close() };
 * });
 * ```
 */
export interface ConformanceTarget {
  store: SecondFactorStore;
  /**
   * Everything the backend persisted, as one text (rows as JSON, all Redis keys and values…), so the
   * suite can assert no plaintext secret, code or base32 secret is ever stored (checklist B6, F2, G5).
   */
  dumpRaw(): Promise<string>;
  close(): Promise<void>;
  /**
   * How a forked process opens its own store over the same backend. Required when
   * `store.capabilities.multiProcess` is true: the suite then races the atomic primitives from 8
   * processes (checklist D3, D4, D5, D7, E6), and fails if it cannot.
   */
  processWorker?: ProcessWorker | undefined;
  /**
   * A second store over the same backend, as after a restart of the application. Required when
   * `store.capabilities.durable` is true: the suite then reads every record kind back through it.
   */
  reopen?: (() => Promise<SecondFactorStore>) | undefined;
}

/**
 * Options of {@link runStoreConformance}.
 *
 * @example
 * ```ts
 * import { type ConformanceOptions, runStoreConformance } from '@secondfactor/store/testing';
 *
 * const options: ConformanceOptions = {
 *   skip: process.env.DATABASE_URL === undefined ? 'DATABASE_URL is not set' : undefined,
 *   concurrency: 20,
 * };
 * runStoreConformance('MyStore', openMyStore, options);
 * ```
 */
export interface ConformanceOptions {
  /** A reason to skip the whole suite (no server reachable, say); printed and shown in the suite's name. */
  skip?: string | undefined;
  /**
   * How many concurrent calls race each atomic primitive (checklist D3, D4, D5, D7).
   * @default 50
   */
  concurrency?: number | undefined;
  /**
   * A reason, when the backend removes lapsed records by itself on its own clock (a TTL, as Redis does)
   * and `sweepExpired` leaves them to it: the suite then skips only its checks that a lapsed record is
   * gone after a sweep, and prints the reason. Live records kept, `limit`, races and argument checks run.
   * @default undefined (the sweep itself removes what lapsed)
   */
  expiresByTtl?: string | undefined;
}

/**
 * Registers the conformance suite of the storage contract for one adapter. `open` runs once before the
 * suite (vitest `beforeAll`) and `close` once after it. Every test uses fresh random ids, so the target
 * may be a shared database that already holds data. Test names start with `name`. The store's
 * `capabilities` decide two groups: `multiProcess` runs the races across processes (the target gives a
 * `processWorker`), `durable` reads records back through a second store (the target gives `reopen`);
 * a capability not declared skips its group with the reason printed.
 *
 * @example
 * ```ts
 * // test/conformance.test.ts of an adapter
 * import { MemoryStore } from '@secondfactor/store';
 * import { runStoreConformance } from '@secondfactor/store/testing';
 *
 * runStoreConformance('memory', async () => {
 *   const store = new MemoryStore();
 *   return { store, dumpRaw: async () => store.exportSnapshot(), close: () => store.close() };
 * });
 * ```
 */
export function runStoreConformance(
  name: string,
  open: () => Promise<ConformanceTarget>,
  options: ConformanceOptions = {},
): void {
  if (options.skip !== undefined) {
    console.warn(`[store conformance] ${name} skipped: ${options.skip}`);
    describe.skip(`${name} (skipped: ${options.skip})`, () => {
      it('runs the storage conformance suite', () => undefined);
    });
    return;
  }
  let target: ConformanceTarget | undefined;
  const t0 = Math.floor(Date.now() / 1000) * 1000;
  const required = (): ConformanceTarget => {
    if (target === undefined) throw new Error(`${name}: open() did not complete`);
    return target;
  };
  const context: SuiteContext = {
    get store() {
      return required().store;
    },
    dumpRaw: () => required().dumpRaw(),
    t0,
    concurrency: options.concurrency ?? 50,
    get reopen() {
      return required().reopen;
    },
    get processWorker() {
      return required().processWorker;
    },
  };

  describe(name, () => {
    beforeAll(async () => {
      target = await open();
    });
    afterAll(async () => {
      await target?.close();
    });
    describe('user settings', () => settingsTests(context));
    describe('user settings: updateUserSettings (field-wise patch)', () => settingsUpdateTests(context));
    describe('credentials', () => credentialTests(context));
    describe('credentials: renameCredential', () => credentialRenameTests(context));
    describe('credentials: switchCredential', () => credentialSwitchTests(context));
    describe('credentials: listAddressHolders', () => addressHolderTests(context));
    describe('enrollment', () => enrollmentTests(context));
    describe('backup codes', () => backupCodeTests(context));
    describe('backup codes: onlyIfNone (conditional first set)', () => onlyIfNoneTests(context));
    describe('challenges', () => challengeTests(context));
    describe('login completion (completeLogin)', () => completeLoginTests(context));
    describe('a wrong answer (failLogin)', () => failLoginTests(context));
    describe('session epochs', () => sessionEpochTests(context));
    describe('tenant settings', () => tenantSettingsTests(context));
    describe('attempt counters', () => failureTests(context));
    describe('verification round trips', () => verificationTests(context));
    describe('verification in one round trip (warm path)', () => warmVerificationTests(context));
    describe('trusted devices', () => trustedDeviceTests(context));
    describe('reset user', () => resetUserTests(context));
    describe('audit log', () => auditTests(context));
    describe('sweeping lapsed records', () => sweepTests(context, options.expiresByTtl));
    describe('races', () => raceTests(context));
    describe('races across processes (capabilities.multiProcess)', () => processRaceTests(context));
    describe('durability (capabilities.durable)', () => durabilityTests(context));
    describe('validation', () => {
      validationTests(context);
      recordValidationTests(context);
      settingsAndLoginValidationTests(context);
      switchAndAddressValidationTests(context);
    });
    describe('raw inspection', () => rawInspectionTests(context));
  });
}
