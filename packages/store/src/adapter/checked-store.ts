/**
 * @module
 * `CheckedStore`: the one way to build a `SecondFactorStore`. It implements every method of the
 * contract as "check the arguments, then call the adapter's operation with the checked values", so an
 * adapter cannot forget a check, and every adapter refuses the same values with the same message, in
 * the same order, before it sends anything to its backend.
 */
import { SecondFactorError } from '@secondfactor/core';
import { MAX_FAILURE_KEYS, MAX_PAGE_SIZE } from '../limits';
import type { SecondFactorStore } from '../store';
import type { NowOptions, StoreCapabilities } from '../store-types';
import {
  assertCiphertext,
  assertDigest,
  assertId,
  assertInteger,
  assertOptionalId,
  assertOptions,
  assertSalt,
  assertTime,
  digestSet,
  fail,
  failureKeys,
  idList,
  pageLimit,
} from '../validate';
import { checkCompleteLoginOptions } from '../validate-complete-login';
import { checkFailLoginOptions } from '../validate-fail-login';
import {
  assertAddressQuery,
  assertLabel,
  checkAuditEvent,
  checkCredential,
  checkFailureLimits,
  checkNewChallenge,
  checkPendingEnrollment,
  checkTenantSettings,
  checkTrustedDevice,
  checkUserSettings,
} from '../validate-records';
import { checkSettingsPatch, checkUpdateSettingsOptions } from '../validate-settings-patch';
import { type CheckedPage, OPERATIONS, type StoreOperations } from './operations';

// A property bag that `assertOptions` has accepted, read field by field (each field once).
type Bag = Record<string, unknown>;

// The page of `listAddressHolders`: a few holders answer "did someone of the tenant verify it".
const ADDRESS_HOLDERS_DEFAULT = 10;
const ADDRESS_HOLDERS_MAX = 100;

// --- shapes shared by several methods -----------------------------------------------------------------

function ownedBy(userId: unknown, idName: string, id: unknown): void {
  assertId('userId', userId);
  assertId(idName, id);
}

// The `{ now }` bag of the methods that need only the time.
function at(name: string, options: unknown): NowOptions {
  assertOptions(name, options, true);
  const { now } = options as Bag;
  assertTime(`${name}.now`, now);
  return { now };
}

function digestAt(userId: unknown, digest: unknown, options: unknown): NowOptions {
  assertId('userId', userId);
  assertDigest('digest', digest);
  return at('options', options);
}

function page(name: string, options: unknown, required: boolean): CheckedPage {
  assertOptions(name, options, required);
  const { after, limit } = (options ?? {}) as Bag;
  assertOptionalId(`${name}.after`, after);
  return { after, limit: pageLimit(`${name}.limit`, limit) };
}

/**
 * A `SecondFactorStore` whose every method checks its arguments, then calls the matching operation of
 * the adapter with the checked values. An adapter extends it (or instantiates it) with its
 * {@link StoreOperations} and writes no method of the contract itself:
 *
 * - ids: 1–255 printable characters, no lone surrogate; times from 0 to `MAX_TIME`; durations up to
 *   `MAX_DURATION`; steps non-negative safe integers; digests lowercase hex of 16–64 whole bytes; sealed
 *   secrets in the `SecretBox` format (never plaintext, B6);
 * - records are copied with only the fields of their type; a `NewChallenge` that sets `attempts`,
 *   `deliveries` or `consumedAt` is refused, and the store sets them;
 * - lists are copied before they are checked (the caller cannot change them mid-call), option bags read
 *   once per field, defaults filled (`CheckedPage`, `CheckedFailureLimits`, …).
 *
 * A failed check rejects with `SecondFactorError('invalid_argument')` naming the parameter, and the
 * operation is not called. The checks are the same for every adapter, so the conformance suite's
 * validation tests hold for every adapter built on this class. The methods are readonly properties
 * bound to the store (they work detached and through a `Proxy`); a subclass that declares a method of
 * the same name does not compile (TS2425), and constructing one throws: the checks cannot be bypassed
 * by accident.
 *
 * @example
 * ```ts
 * import type { FailureState } from '@secondfactor/store';
 * import { CheckedStore, type StoreOperations } from '@secondfactor/store/adapter';
 *
 * export class MyStore extends CheckedStore {
 *   constructor(backend: MyBackend) {
 *     super({ multiProcess: true, durable: true }, myOperations(backend));
 *   }
 * }
 *
 * function myOperations(backend: MyBackend): StoreOperations {
 *   return {
 *     // `key` is a valid id and `now` a time in range: checked before this runs.
 *     getFailures: (key, { now }): Promise<FailureState> => backend.readCounter(key, now),
 *     // …one operation per method of SecondFactorStore
 *   } as StoreOperations;
 * }
 * ```
 */
export class CheckedStore implements SecondFactorStore {
  readonly capabilities: StoreCapabilities;
  readonly #operations: StoreOperations;

  /**
   * @param capabilities What the adapter promises beyond the contract; the conformance suite holds it to them.
   * @param operations The adapter's operations, one per method of the contract.
   * @throws {SecondFactorError} `invalid_argument` when an operation is missing, a capability is not a
   *   boolean, or a subclass overrides a method of the contract.
   */
  constructor(capabilities: StoreCapabilities, operations: StoreOperations) {
    assertOptions('capabilities', capabilities, true);
    const { multiProcess, durable } = capabilities;
    if (typeof multiProcess !== 'boolean') fail('capabilities.multiProcess', 'must be a boolean');
    if (typeof durable !== 'boolean') fail('capabilities.durable', 'must be a boolean');
    assertOptions('operations', operations, true);
    const bound = {} as Record<keyof StoreOperations, unknown>;
    for (const name of OPERATIONS) {
      const operation = operations[name];
      if (typeof operation !== 'function') fail(`operations.${name}`, 'must be a function');
      bound[name] = (operation as (...args: unknown[]) => unknown).bind(operations);
    }
    for (let proto = Object.getPrototypeOf(this); proto !== CheckedStore.prototype && proto !== null; ) {
      const name = OPERATIONS.find((method) => Object.hasOwn(proto, method));
      if (name !== undefined) {
        throw new SecondFactorError(
          'invalid_argument',
          `${String(proto.constructor?.name)}.${name} must not override CheckedStore.${name}: put the backend step in operations.${name}, which receives checked arguments`,
        );
      }
      proto = Object.getPrototypeOf(proto);
    }
    this.capabilities = Object.freeze({ multiProcess, durable });
    this.#operations = bound as unknown as StoreOperations;
  }

  // --- user settings -------------------------------------------------------------------------------

  readonly getUserSettings: SecondFactorStore['getUserSettings'] = async (userId) => {
    assertId('userId', userId);
    return this.#operations.getUserSettings(userId);
  };

  readonly putUserSettings: SecondFactorStore['putUserSettings'] = async (settings) => {
    return this.#operations.putUserSettings(checkUserSettings(settings));
  };

  readonly updateUserSettings: SecondFactorStore['updateUserSettings'] = async (userId, patch, options) => {
    assertId('userId', userId);
    const checked = checkSettingsPatch('patch', patch);
    return this.#operations.updateUserSettings(
      userId,
      checked,
      checkUpdateSettingsOptions('options', options),
    );
  };

  readonly listUserSettings: SecondFactorStore['listUserSettings'] = async (tenantId, options) => {
    assertId('tenantId', tenantId);
    return this.#operations.listUserSettings(tenantId, page('options', options, false));
  };

  readonly getTwoFactorSummaries: SecondFactorStore['getTwoFactorSummaries'] = async (userIds) => {
    return this.#operations.getTwoFactorSummaries(idList('userIds', userIds, MAX_PAGE_SIZE));
  };

  // --- credentials ---------------------------------------------------------------------------------

  readonly addCredential: SecondFactorStore['addCredential'] = async (credential) => {
    return this.#operations.addCredential(checkCredential(credential));
  };

  readonly getCredential: SecondFactorStore['getCredential'] = async (userId, credentialId) => {
    ownedBy(userId, 'credentialId', credentialId);
    return this.#operations.getCredential(userId, credentialId);
  };

  readonly listCredentials: SecondFactorStore['listCredentials'] = async (userId) => {
    assertId('userId', userId);
    return this.#operations.listCredentials(userId);
  };

  readonly deleteCredential: SecondFactorStore['deleteCredential'] = async (userId, credentialId) => {
    ownedBy(userId, 'credentialId', credentialId);
    return this.#operations.deleteCredential(userId, credentialId);
  };

  readonly renameCredential: SecondFactorStore['renameCredential'] = async (userId, credentialId, label) => {
    ownedBy(userId, 'credentialId', credentialId);
    assertLabel('label', label);
    return this.#operations.renameCredential(userId, credentialId, label);
  };

  readonly switchCredential: SecondFactorStore['switchCredential'] = async (
    userId,
    credentialId,
    switchedOffAt,
  ) => {
    ownedBy(userId, 'credentialId', credentialId);
    // `null` switches it on; anything else must be the time it was switched off.
    if (switchedOffAt !== null) assertTime('switchedOffAt', switchedOffAt);
    return this.#operations.switchCredential(userId, credentialId, switchedOffAt);
  };

  readonly listAddressHolders: SecondFactorStore['listAddressHolders'] = async (query) => {
    assertOptions('query', query, true);
    const { tenantId, address, limit } = query as unknown as Bag;
    assertOptionalId('query.tenantId', tenantId);
    assertAddressQuery('query.address', address);
    let page = ADDRESS_HOLDERS_DEFAULT;
    if (limit !== undefined) {
      assertInteger('query.limit', limit, 1, ADDRESS_HOLDERS_MAX);
      page = limit;
    }
    return this.#operations.listAddressHolders({ tenantId, address, limit: page });
  };

  readonly recordOtpUse: SecondFactorStore['recordOtpUse'] = async (userId, credentialId, options) => {
    ownedBy(userId, 'credentialId', credentialId);
    assertOptions('options', options, true);
    const { step, now, driftSteps, ifSecret, unlessLocked, clearFailures } = options as unknown as Bag;
    // RFC 4226 §5.2 counters and RFC 6238 §4 steps are never negative.
    assertInteger('options.step', step, 0);
    assertTime('options.now', now);
    if (driftSteps !== undefined) assertInteger('options.driftSteps', driftSteps);
    // B6: only a sealed secret is compared, never a plaintext one.
    if (ifSecret !== undefined) assertCiphertext('options.ifSecret', ifSecret);
    return this.#operations.recordOtpUse(userId, credentialId, {
      step,
      now,
      driftSteps,
      ifSecret,
      unlessLocked: failureKeys('options.unlessLocked', unlessLocked),
      clearFailures: failureKeys('options.clearFailures', clearFailures),
    });
  };

  readonly getCredentialForVerification: SecondFactorStore['getCredentialForVerification'] = async (
    userId,
    credentialId,
    options,
  ) => {
    ownedBy(userId, 'credentialId', credentialId);
    assertOptions('options', options, true);
    const { now, failureKeys: keys } = options as unknown as Bag;
    assertTime('options.now', now);
    return this.#operations.getCredentialForVerification(userId, credentialId, {
      now,
      failureKeys: idList('options.failureKeys', keys, MAX_FAILURE_KEYS),
    });
  };

  readonly replaceCredentialSecret: SecondFactorStore['replaceCredentialSecret'] = async (
    userId,
    credentialId,
    options,
  ) => {
    ownedBy(userId, 'credentialId', credentialId);
    assertOptions('options', options, true);
    const { expected, next } = options as unknown as Bag;
    assertCiphertext('options.expected', expected);
    assertCiphertext('options.next', next);
    return this.#operations.replaceCredentialSecret(userId, credentialId, { expected, next });
  };

  readonly listOtpCredentials: SecondFactorStore['listOtpCredentials'] = async (options) => {
    return this.#operations.listOtpCredentials(page('options', options, true));
  };

  // --- enrollment ----------------------------------------------------------------------------------

  readonly createPendingEnrollment: SecondFactorStore['createPendingEnrollment'] = async (pending) => {
    return this.#operations.createPendingEnrollment(checkPendingEnrollment(pending));
  };

  readonly getPendingEnrollment: SecondFactorStore['getPendingEnrollment'] = async (
    userId,
    pendingId,
    options,
  ) => {
    ownedBy(userId, 'pendingId', pendingId);
    return this.#operations.getPendingEnrollment(userId, pendingId, at('options', options));
  };

  readonly confirmEnrollment: SecondFactorStore['confirmEnrollment'] = async (userId, pendingId, options) => {
    ownedBy(userId, 'pendingId', pendingId);
    assertOptions('options', options, true);
    const { now, lastUsedStep, replaces } = options as unknown as Bag;
    assertTime('options.now', now);
    if (lastUsedStep !== undefined) assertInteger('options.lastUsedStep', lastUsedStep, 0);
    const replaced = replaces === undefined ? [] : idList('options.replaces', replaces, MAX_PAGE_SIZE);
    return this.#operations.confirmEnrollment(userId, pendingId, { now, lastUsedStep, replaces: replaced });
  };

  readonly deletePendingEnrollment: SecondFactorStore['deletePendingEnrollment'] = async (
    userId,
    pendingId,
  ) => {
    ownedBy(userId, 'pendingId', pendingId);
    return this.#operations.deletePendingEnrollment(userId, pendingId);
  };

  // --- backup codes --------------------------------------------------------------------------------

  readonly replaceBackupCodes: SecondFactorStore['replaceBackupCodes'] = async (userId, set) => {
    assertId('userId', userId);
    assertOptions('set', set, true);
    const { digests, salt, now, onlyIfNone } = set as unknown as Bag;
    const checked = digestSet('set.digests', digests);
    if (salt !== undefined) assertSalt('set.salt', salt);
    assertTime('set.now', now);
    // A truthy non-boolean (say the string 'false') must not silently pick either behaviour.
    if (onlyIfNone !== undefined && typeof onlyIfNone !== 'boolean')
      fail('set.onlyIfNone', 'must be a boolean');
    return this.#operations.replaceBackupCodes(userId, {
      digests: checked,
      salt,
      now,
      onlyIfNone: onlyIfNone === true,
    });
  };

  readonly getBackupCodeSet: SecondFactorStore['getBackupCodeSet'] = async (userId) => {
    assertId('userId', userId);
    return this.#operations.getBackupCodeSet(userId);
  };

  readonly consumeBackupCode: SecondFactorStore['consumeBackupCode'] = async (userId, digest) => {
    assertId('userId', userId);
    assertDigest('digest', digest);
    return this.#operations.consumeBackupCode(userId, digest);
  };

  // --- challenges ----------------------------------------------------------------------------------

  readonly createChallenge: SecondFactorStore['createChallenge'] = async (challenge) => {
    return this.#operations.createChallenge(checkNewChallenge(challenge));
  };

  readonly getChallenge: SecondFactorStore['getChallenge'] = async (userId, challengeId) => {
    ownedBy(userId, 'challengeId', challengeId);
    return this.#operations.getChallenge(userId, challengeId);
  };

  readonly consumeChallenge: SecondFactorStore['consumeChallenge'] = async (userId, challengeId, attempt) => {
    ownedBy(userId, 'challengeId', challengeId);
    assertOptions('attempt', attempt, true);
    const { digest, now } = attempt as unknown as Bag;
    assertDigest('attempt.digest', digest);
    assertTime('attempt.now', now);
    return this.#operations.consumeChallenge(userId, challengeId, { digest, now });
  };

  readonly rotateChallenge: SecondFactorStore['rotateChallenge'] = async (userId, challengeId, next) => {
    ownedBy(userId, 'challengeId', challengeId);
    assertOptions('next', next, true);
    const { digest, expiresAt, now } = next as unknown as Bag;
    assertDigest('next.digest', digest);
    assertTime('next.expiresAt', expiresAt);
    assertTime('next.now', now);
    return this.#operations.rotateChallenge(userId, challengeId, { digest, expiresAt, now });
  };

  readonly deleteChallenge: SecondFactorStore['deleteChallenge'] = async (userId, challengeId) => {
    ownedBy(userId, 'challengeId', challengeId);
    return this.#operations.deleteChallenge(userId, challengeId);
  };

  readonly completeLogin: SecondFactorStore['completeLogin'] = async (userId, challengeId, options) => {
    ownedBy(userId, 'challengeId', challengeId);
    return this.#operations.completeLogin(userId, challengeId, checkCompleteLoginOptions('options', options));
  };

  readonly failLogin: SecondFactorStore['failLogin'] = async (userId, challengeId, options) => {
    assertId('userId', userId);
    if (challengeId !== null) assertId('challengeId', challengeId);
    return this.#operations.failLogin(userId, challengeId, checkFailLoginOptions('options', options));
  };

  // --- attempt counters ----------------------------------------------------------------------------

  readonly registerFailure: SecondFactorStore['registerFailure'] = async (key, options) => {
    assertId('key', key);
    assertOptions('options', options, true);
    const { now, limits } = options as unknown as Bag;
    assertTime('options.now', now);
    return this.#operations.registerFailure(key, {
      now,
      limits: checkFailureLimits('options.limits', limits),
    });
  };

  readonly getFailures: SecondFactorStore['getFailures'] = async (key, options) => {
    assertId('key', key);
    return this.#operations.getFailures(key, at('options', options));
  };

  readonly clearFailures: SecondFactorStore['clearFailures'] = async (key) => {
    assertId('key', key);
    return this.#operations.clearFailures(key);
  };

  // --- trusted devices -----------------------------------------------------------------------------

  readonly addTrustedDevice: SecondFactorStore['addTrustedDevice'] = async (device) => {
    return this.#operations.addTrustedDevice(checkTrustedDevice(device));
  };

  readonly findTrustedDevice: SecondFactorStore['findTrustedDevice'] = async (userId, digest, options) => {
    const checked = digestAt(userId, digest, options);
    return this.#operations.findTrustedDevice(userId, digest, checked);
  };

  readonly revokeTrustedDevices: SecondFactorStore['revokeTrustedDevices'] = async (userId) => {
    assertId('userId', userId);
    return this.#operations.revokeTrustedDevices(userId);
  };

  // --- whole-user operations -----------------------------------------------------------------------

  readonly resetUser: SecondFactorStore['resetUser'] = async (userId) => {
    assertId('userId', userId);
    return this.#operations.resetUser(userId);
  };

  // --- session epochs ------------------------------------------------------------------------------

  readonly getSessionEpoch: SecondFactorStore['getSessionEpoch'] = async (userId) => {
    assertId('userId', userId);
    return this.#operations.getSessionEpoch(userId);
  };

  readonly bumpSessionEpoch: SecondFactorStore['bumpSessionEpoch'] = async (userId) => {
    assertId('userId', userId);
    return this.#operations.bumpSessionEpoch(userId);
  };

  // --- tenants -------------------------------------------------------------------------------------

  readonly getTenantSettings: SecondFactorStore['getTenantSettings'] = async (tenantId) => {
    assertId('tenantId', tenantId);
    return this.#operations.getTenantSettings(tenantId);
  };

  readonly putTenantSettings: SecondFactorStore['putTenantSettings'] = async (settings) => {
    return this.#operations.putTenantSettings(checkTenantSettings(settings));
  };

  // --- housekeeping --------------------------------------------------------------------------------

  readonly sweepExpired: SecondFactorStore['sweepExpired'] = async (options) => {
    assertOptions('options', options, true);
    const { now, limit } = options as unknown as Bag;
    assertTime('options.now', now);
    return this.#operations.sweepExpired({ now, limit: pageLimit('options.limit', limit) });
  };

  // --- audit log -----------------------------------------------------------------------------------

  readonly appendAudit: SecondFactorStore['appendAudit'] = async (event) => {
    return this.#operations.appendAudit(checkAuditEvent(event));
  };

  readonly listAudit: SecondFactorStore['listAudit'] = async (filter) => {
    assertOptions('filter', filter, true);
    const { userId, tenantId, since, limit } = filter as unknown as Bag;
    assertOptionalId('filter.userId', userId);
    assertOptionalId('filter.tenantId', tenantId);
    if (since !== undefined) assertTime('filter.since', since);
    return this.#operations.listAudit({ userId, tenantId, since, limit: pageLimit('filter.limit', limit) });
  };

  readonly close: SecondFactorStore['close'] = async () => {
    return this.#operations.close();
  };
}
