/**
 * @module
 * Helpers of the tests of the service's session, device, import and warm-path behaviour: a service with
 * the options `harness()` leaves at their defaults (the host's session hook, the sealing box, the cache
 * size), stores that record or intercept the calls the service makes, and the policies those tests need.
 */
import { type Method, SecondFactorError } from '@secondfactor/core';
import { createPolicy, type PolicyConfig, selfService } from '@secondfactor/policy';
import {
  createTwoFactor,
  type LoginSuccess,
  type TwoFactorEvent,
  type TwoFactorUser,
} from '@secondfactor/service';
import { type SecondFactorStore, SecretBox } from '@secondfactor/store';
import {
  appCode,
  type Harness,
  STEP_MS,
  secretKey,
  type TestClock,
  testClock,
  testServiceOptions,
} from './fixtures';

/** A call of the host's `sessions.revokeOthers` hook. */
export interface Revocation {
  userId: string;
  exceptSessionId: string | undefined;
}

/** A {@link Harness} that also exposes the box sealing its secrets and the revocations it reported. */
export interface ServiceHarness extends Harness {
  box: SecretBox;
  revoked: Revocation[];
}

/** Options of {@link serviceOver}. */
export interface ServiceOverOptions {
  policy?: PolicyConfig | undefined;
  clock?: TestClock | undefined;
  /** The box of another "process" of the same deployment, to share its keys. @default a new one */
  box?: SecretBox | undefined;
  credentialCacheSize?: number | undefined;
  sessionEpochCacheSeconds?: number | undefined;
  /**
   * The host's `revokeOthers`; it runs after the call is recorded in `revoked`. `false`: no `sessions`
   * option at all.
   */
  revokeOthers?: ((userId: string, exceptSessionId: string | undefined) => void | Promise<void>) | false;
}

export { secretKey } from './fixtures';

/**
 * A service over `store`, as one process of a deployment runs it: its own credential cache, every event
 * captured, every call of the session hook recorded. Two services over one store are two processes.
 */
export function serviceOver(store: SecondFactorStore, options: ServiceOverOptions = {}): ServiceHarness {
  const clock = options.clock ?? testClock();
  const box = options.box ?? new SecretBox({ keys: { k1: secretKey() }, currentKeyId: 'k1' });
  const events: TwoFactorEvent[] = [];
  const revoked: Revocation[] = [];
  const hook = options.revokeOthers;
  const twoFactor = createTwoFactor({
    ...testServiceOptions(clock, events),
    secretBox: box,
    store,
    policy: createPolicy(options.policy ?? selfService),
    credentialCacheSize: options.credentialCacheSize,
    sessionEpochCacheSeconds: options.sessionEpochCacheSeconds,
    sessions:
      hook === false
        ? undefined
        : {
            revokeOthers: async (userId, exceptSessionId) => {
              revoked.push({ userId, exceptSessionId });
              await hook?.(userId, exceptSessionId);
            },
          },
  });
  return { twoFactor, store, clock, events, box, revoked };
}

/** The function type of the store method `K`. */
type StoreFunction<K extends keyof SecondFactorStore> = SecondFactorStore[K] extends (
  ...args: infer A
) => infer R
  ? (...args: A) => R
  : never;
/** The arguments of the store method `K`. */
type StoreArguments<K extends keyof SecondFactorStore> = SecondFactorStore[K] extends (
  ...args: infer A
) => unknown
  ? A
  : never;

/**
 * `store`, with the name of every method the service calls appended to `calls` (in call order, before
 * the call runs). Empty `calls` (`calls.length = 0`) before the step to observe.
 */
export function recording(store: SecondFactorStore): { store: SecondFactorStore; calls: string[] } {
  const calls: string[] = [];
  const proxy = new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (typeof key === 'string') calls.push(key);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, calls };
}

/**
 * `store` with one method run through `around`, which receives the original call and its arguments (to
 * run something before or after it, or to fail instead of it).
 */
export function intercepting<K extends keyof SecondFactorStore>(
  store: SecondFactorStore,
  method: K,
  around: (original: StoreFunction<K>, ...args: StoreArguments<K>) => unknown,
): SecondFactorStore {
  return new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      const bound = (value as (...a: unknown[]) => unknown).bind(target);
      if (key !== method) return bound;
      return (...args: unknown[]) => around(bound as StoreFunction<K>, ...(args as StoreArguments<K>));
    },
  });
}

/** The error a store step fails with in the tests that cut a change short. */
export const storeDown = (): SecondFactorError =>
  new SecondFactorError('store_unavailable', 'the store went away (test)');

/** selfService where HOTP devices (imported ones) may answer a login too. */
export const selfServiceWithHotp: PolicyConfig = {
  ...selfService,
  methods: { allowed: ['totp', 'hotp', 'backup_code'] },
};

/** selfService where a user may hold two authenticator apps. */
export const selfServiceTwoApps: PolicyConfig = {
  ...selfService,
  methods: { allowed: ['totp', 'backup_code'], maxDevices: { totp: 2 } },
};

/** selfService that remembers a browser for `days` days after a login that asked for it. */
export const rememberingBrowsers = (days: number): PolicyConfig => ({
  ...selfService,
  sessions: { rememberDeviceDays: days },
});

/** An actor who passed `method` (and re-entered his password) at `at`. */
export const provedAt = <U extends { id: string; roles: string[] }>(user: U, at: number, method: Method) => ({
  ...user,
  reauthenticatedAt: at,
  secondFactor: { at, method },
});

/**
 * One step after the last code, a login of `user` answered with the code his app shows (from
 * `manualKey`), on the device `deviceId` when given.
 */
export async function signIn(
  h: Harness,
  user: TwoFactorUser,
  manualKey: string,
  deviceId?: string,
): Promise<LoginSuccess> {
  h.clock.advance(STEP_MS);
  const start = await h.twoFactor.startLogin(user);
  if (start.state !== 'challenge') throw new Error(`expected a code to be asked, got ${start.state}`);
  return h.twoFactor.verifyLogin({
    loginId: start.loginId ?? '',
    method: 'totp',
    code: appCode(manualKey, h.clock()),
    deviceId,
  });
}

/** A further authenticator app of `user`, set up with a second factor he passed just now (H4). */
export async function addApp(h: Harness, user: { id: string; roles: string[] }, label = 'Second phone') {
  const actor = provedAt(user, h.clock(), 'totp');
  const setup = await h.twoFactor.beginEnrollment(actor, { method: 'totp', label });
  const confirmed = await h.twoFactor.confirmEnrollment(actor, {
    enrollmentId: setup.enrollmentId,
    code: appCode(setup.manualKey, h.clock()),
  });
  return { credentialId: confirmed.credentialId, manualKey: setup.manualKey };
}
