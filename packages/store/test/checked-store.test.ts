/**
 * `CheckedStore`, the base every adapter builds on: no operation runs with arguments that fail a check,
 * operations get copies holding only the contract's fields, and a subclass cannot replace a checked
 * method by accident. The conformance suite checks the refusals through real adapters; this file checks
 * that the operation behind them is never reached.
 */
import { isSecondFactorError } from '@secondfactor/core';
import type { SecondFactorStore, StoreCapabilities } from '@secondfactor/store';
import { CheckedStore, type StoreOperations } from '@secondfactor/store/adapter';
import { fakeCiphertext, randomDigest, totpCredential } from '@secondfactor/store/testing';
import { describe, expect, it } from 'vitest';

const capabilities: StoreCapabilities = { multiProcess: false, durable: false };

/** Operations that record every call and answer `null`. */
function recording(): { operations: StoreOperations; calls: [string, unknown[]][] } {
  const calls: [string, unknown[]][] = [];
  const operations = new Proxy({} as StoreOperations, {
    get: (_target, name) =>
      typeof name === 'string'
        ? (...args: unknown[]) => {
            calls.push([name, args]);
            return Promise.resolve(null);
          }
        : undefined,
  });
  // The Proxy answers every name; CheckedStore reads each operation once, at construction.
  return { operations, calls };
}

const bad = <T>(value: unknown): T => value as T;

describe('CheckedStore', () => {
  it('never calls an operation with an argument that fails a check, and rejects instead of throwing', async () => {
    const { operations, calls } = recording();
    const store: SecondFactorStore = new CheckedStore(capabilities, operations);
    const d = randomDigest();
    const attempts: [string, () => Promise<unknown>][] = [
      ['getUserSettings', () => store.getUserSettings(bad(42))],
      ['putUserSettings', () => store.putUserSettings(bad(null))],
      ['listUserSettings', () => store.listUserSettings('t', { limit: 0 })],
      ['getTwoFactorSummaries', () => store.getTwoFactorSummaries(bad('u'))],
      ['addCredential', () => store.addCredential(bad({ id: 'c' }))],
      ['getCredential', () => store.getCredential('u', '')],
      ['listCredentials', () => store.listCredentials(bad(undefined))],
      ['deleteCredential', () => store.deleteCredential('', 'c')],
      ['recordOtpUse', () => store.recordOtpUse('u', 'c', { step: -1, now: 0 })],
      ['getCredentialForVerification', () => store.getCredentialForVerification('u', 'c', bad({ now: 0 }))],
      [
        'replaceCredentialSecret',
        () =>
          store.replaceCredentialSecret('u', 'c', { expected: fakeCiphertext(), next: 'JBSWY3DPEHPK3PXP' }),
      ],
      ['listOtpCredentials', () => store.listOtpCredentials(bad({ limit: 0 }))],
      ['createPendingEnrollment', () => store.createPendingEnrollment(bad({}))],
      ['getPendingEnrollment', () => store.getPendingEnrollment('u', 'p', { now: -1 })],
      ['confirmEnrollment', () => store.confirmEnrollment('u', 'p', bad(null))],
      ['deletePendingEnrollment', () => store.deletePendingEnrollment('u', bad(7))],
      ['replaceBackupCodes', () => store.replaceBackupCodes('u', { digests: [d, d], now: 0 })],
      ['getBackupCodeSet', () => store.getBackupCodeSet('\u0000')],
      ['consumeBackupCode', () => store.consumeBackupCode('u', 'a'.repeat(33))],
      ['createChallenge', () => store.createChallenge(bad({ id: 'x', attempts: 0 }))],
      ['getChallenge', () => store.getChallenge('u', '\ud800x')],
      ['consumeChallenge', () => store.consumeChallenge('u', 'x', { digest: d, now: 2 ** 53 })],
      ['rotateChallenge', () => store.rotateChallenge('u', 'x', { digest: d, expiresAt: -1, now: 0 })],
      ['deleteChallenge', () => store.deleteChallenge(bad(null), 'x')],
      [
        'registerFailure',
        () => store.registerFailure('k', { now: 0, limits: { maxFailures: 1, windowMs: 1, lockoutMs: 0 } }),
      ],
      ['getFailures', () => store.getFailures('k', { now: Number.NaN })],
      ['clearFailures', () => store.clearFailures('')],
      ['addTrustedDevice', () => store.addTrustedDevice(bad({ digest: 'token' }))],
      ['findTrustedDevice', () => store.findTrustedDevice('u', 'ABC', { now: 0 })],
      ['revokeTrustedDevices', () => store.revokeTrustedDevices('x'.repeat(256))],
      ['resetUser', () => store.resetUser(bad({}))],
      ['appendAudit', () => store.appendAudit(bad({ id: 'e', at: 0, type: 'Not Dotted' }))],
      ['listAudit', () => store.listAudit({ since: -5 })],
      ['updateUserSettings', () => store.updateUserSettings('u', bad({ mayToggle: 'yes' }), { now: 0 })],
      ['renameCredential', () => store.renameCredential('u', 'c', 'two\nlines')],
      [
        'completeLogin',
        () =>
          store.completeLogin('u', 'x', {
            now: 0,
            otp: { credentialId: 'c', step: 1 },
            backupCode: { digest: d },
          }),
      ],
      ['getSessionEpoch', () => store.getSessionEpoch('')],
      ['bumpSessionEpoch', () => store.bumpSessionEpoch(bad(1))],
    ];
    for (const [name, call] of attempts) {
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = call();
      }, name).not.toThrow();
      const error = await promise?.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(isSecondFactorError(error) && error.code, name).toBe('invalid_argument');
    }
    expect(calls).toEqual([]);
  });

  it('hands operations checked copies: only the record’s fields, lists copied, defaults filled', async () => {
    const { operations, calls } = recording();
    const store = new CheckedStore(capabilities, operations);
    const credential = totpCredential('u', 0);
    await store.addCredential({ ...credential, ...bad<object>({ plaintextSecret: 'JBSWY3DPEHPK3PXP' }) });
    const keys = ['user:u'];
    const pending = store.recordOtpUse('u', 'c', { step: 1, now: 0, clearFailures: keys });
    keys.push('changed:after:the:call');
    await pending;
    await store.registerFailure('k', { now: 0, limits: { maxFailures: 1, windowMs: 1, lockoutMs: 5 } });
    await store.listAudit({});
    await store.createChallenge({
      id: 'ch',
      userId: 'u',
      kind: 'email',
      purpose: 'login',
      digest: null,
      createdAt: 0,
      expiresAt: 1,
      maxAttempts: 3,
    });
    expect(calls).toEqual([
      ['addCredential', [credential]],
      [
        'recordOtpUse',
        [
          'u',
          'c',
          {
            step: 1,
            now: 0,
            driftSteps: undefined,
            ifSecret: undefined,
            unlessLocked: [],
            clearFailures: ['user:u'],
          },
        ],
      ],
      [
        'registerFailure',
        [
          'k',
          {
            now: 0,
            limits: { maxFailures: 1, windowMs: 1, lockoutMs: 5, backoffFactor: 1, maxLockoutMs: 5 },
          },
        ],
      ],
      ['listAudit', [{ userId: undefined, tenantId: undefined, since: undefined, limit: 100 }]],
      [
        'createChallenge',
        [
          {
            id: 'ch',
            userId: 'u',
            kind: 'email',
            purpose: 'login',
            digest: null,
            createdAt: 0,
            expiresAt: 1,
            maxAttempts: 3,
            attempts: 0,
            deliveries: 0,
          },
        ],
      ],
    ]);
    expect((calls[0]?.[1][0] as object) === (credential as object)).toBe(false);
  });

  it('hands updateUserSettings only the fields given (null kept: it clears) and completeLogin its options checked, with defaults', async () => {
    const { operations, calls } = recording();
    const store = new CheckedStore(capabilities, operations);
    await store.updateUserSettings(
      'u',
      { useTwoFactor: undefined, mayToggle: null, graceStartedAt: null, enrollmentResetAt: 5 },
      { now: 7 },
    );
    const keys = ['user:u'];
    const audit = { id: 'e', at: 7, type: 'login.succeeded', userId: 'u', extra: 'dropped' };
    const pending = store.completeLogin('u', 'login', {
      now: 7,
      backupCode: { digest: 'ab'.repeat(16) },
      clearFailures: keys,
      audit: bad(audit),
    });
    keys.push('changed:after:the:call');
    await pending;
    await store.completeLogin('u', 'login', { now: 8, otp: { credentialId: 'c', step: 3 } });
    await store.renameCredential('u', 'c', 'Work phone');
    expect(calls).toEqual([
      [
        'updateUserSettings',
        [
          'u',
          { mayToggle: null, graceStartedAt: null, enrollmentResetAt: 5 },
          { now: 7, tenantId: undefined },
        ],
      ],
      [
        'completeLogin',
        [
          'u',
          'login',
          {
            now: 7,
            otp: undefined,
            backupCodeDigest: 'ab'.repeat(16),
            unlessLocked: [],
            clearFailures: ['user:u'],
            audit: { id: 'e', at: 7, type: 'login.succeeded', userId: 'u' },
          },
        ],
      ],
      [
        'completeLogin',
        [
          'u',
          'login',
          {
            now: 8,
            otp: { credentialId: 'c', step: 3, driftSteps: undefined, ifSecret: undefined },
            backupCodeDigest: undefined,
            unlessLocked: [],
            clearFailures: [],
            audit: undefined,
          },
        ],
      ],
      ['renameCredential', ['u', 'c', 'Work phone']],
    ]);
    const patch = calls[0]?.[1][1] as object;
    expect(Object.keys(patch).sort()).toEqual(['enrollmentResetAt', 'graceStartedAt', 'mayToggle']);
  });

  it('turns an operation that throws synchronously into a rejection', async () => {
    const { operations } = recording();
    const throwing = new Proxy(operations, {
      get: () => () => {
        throw new Error('backend down');
      },
    });
    const store = new CheckedStore(capabilities, throwing);
    const promise = store.getFailures('k', { now: 0 });
    expect(promise).toBeInstanceOf(Promise);
    await expect(promise).rejects.toThrow('backend down');
  });

  it('methods work detached and through a Proxy', async () => {
    const store = new CheckedStore(capabilities, recording().operations);
    const { getFailures } = store;
    expect(await getFailures('k', { now: 0 })).toBeNull();
    const traced = new Proxy(store, { get: (target, name, receiver) => Reflect.get(target, name, receiver) });
    expect(await traced.getFailures('k', { now: 0 })).toBeNull();
    await expect(traced.getFailures('', { now: 0 })).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('refuses a subclass that overrides a method of the contract, and operations that are missing', () => {
    class Bypass extends CheckedStore {
      // @ts-expect-error a method cannot replace the checked property (TS2425): the compiler refuses it too
      override async getFailures(): Promise<{ count: number; lockedUntil: number | null }> {
        return { count: 0, lockedUntil: null };
      }
    }
    expect(() => new Bypass(capabilities, recording().operations)).toThrow(
      /Bypass\.getFailures must not override/,
    );
    expect(() => new CheckedStore(capabilities, bad({ getUserSettings: async () => null }))).toThrow(
      /operations\.putUserSettings must be a function/,
    );
    expect(
      () => new CheckedStore(bad({ multiProcess: 'yes', durable: false }), recording().operations),
    ).toThrow(/capabilities\.multiProcess must be a boolean/);
  });
});
