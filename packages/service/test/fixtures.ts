/**
 * @module
 * Shared setup of the service tests: an injected clock, the stores every story runs on (`./stores`), a
 * service over them with every event captured, and TOTP codes computed the way an authenticator app
 * computes them.
 */
import { createHash } from 'node:crypto';
import {
  base32Decode,
  isSecondFactorError,
  type Method,
  parseKeyUri,
  type SecondFactorError,
  totp,
} from '@secondfactor/core';
import { createPolicy, type PolicyConfig, selfService } from '@secondfactor/policy';
import {
  type AddressAdded,
  type AddressCodeSent,
  createTwoFactor,
  type SessionHooks,
  type TenantFeatures,
  type TwoFactor,
  type TwoFactorEvent,
  type TwoFactorOptions,
  type TwoFactorUser,
} from '@secondfactor/service';
import { MemoryStore, type SecondFactorStore, SecretBox } from '@secondfactor/store';
import { afterAll } from 'vitest';
import { closeOpenStores } from './stores';

export { describeEachStore, type OpenStore, SKIPPED_STORES, STORES, suiteStore } from './stores';

// A test that fails before it closes its store (or a file that never closes them) still releases the
// schema, keys and connections, so the runner can exit.
afterAll(closeOpenStores);

export const NOW: number = Date.UTC(2025, 10, 23, 12, 0, 0);
export const STEP_MS = 30_000;

/** A clock the test moves by hand; nothing reads the real time. */
export interface TestClock {
  (): number;
  advance(ms: number): void;
  set(time: number): void;
}

export function testClock(start: number = NOW): TestClock {
  let time = start;
  const clock = (() => time) as TestClock;
  clock.advance = (ms) => {
    time += ms;
  };
  clock.set = (value) => {
    time = value;
  };
  return clock;
}

export const backupCodeKey: Uint8Array = crypto.getRandomValues(new Uint8Array(32));

let seeds = 0;

/**
 * The random source of a test's service: SHA-256 of a seed and a counter, so the secrets, ids and codes
 * of a test are the same in every run. With secrets drawn afresh each run, about one login in a million
 * would meet a code that also belongs to the next step (recorded as that later step, RFC 6238 §5.2), and
 * a test logging in step after step would fail once in a long while; with fixed ones it passes or fails
 * the same way every time. Each call gives a new sequence (a file's services draw distinct ids).
 */
export function seededRandom(seed = `service-test-${++seeds}`): (bytes: Uint8Array) => void {
  let counter = 0;
  return (bytes) => {
    for (let at = 0; at < bytes.length; at += 32) {
      const block = createHash('sha256').update(`${seed}/${counter++}`).digest();
      bytes.set(block.subarray(0, Math.min(32, bytes.length - at)), at);
    }
  };
}

export interface Harness {
  twoFactor: TwoFactor;
  store: SecondFactorStore;
  clock: TestClock;
  events: TwoFactorEvent[];
}

export async function harness(
  options: {
    store?: SecondFactorStore;
    policy?: PolicyConfig;
    clock?: TestClock;
    tenantFeatures?: TenantFeatures;
    sessions?: SessionHooks;
  } = {},
): Promise<Harness> {
  const store = options.store ?? new MemoryStore();
  const clock = options.clock ?? testClock();
  const events: TwoFactorEvent[] = [];
  const twoFactor = createTwoFactor({
    ...testServiceOptions(clock, events),
    store,
    policy: createPolicy(options.policy ?? selfService),
    tenantFeatures: options.tenantFeatures,
    sessions: options.sessions,
  });
  return { twoFactor, store, clock, events };
}

/** 32 random bytes, a key of a {@link SecretBox}. */
export const secretKey = (): Uint8Array => crypto.getRandomValues(new Uint8Array(32));

/**
 * What every test's service shares: a fresh `SecretBox`, the suite's backup-code key, the issuer
 * "Example", the test's clock, a seeded random source, and every event pushed to `events`.
 */
export function testServiceOptions(
  clock: TestClock,
  events: TwoFactorEvent[],
): Pick<TwoFactorOptions, 'secretBox' | 'backupCodeKey' | 'issuer' | 'clock' | 'random' | 'onEvent'> {
  return {
    secretBox: new SecretBox({ keys: { k1: secretKey() }, currentKeyId: 'k1' }),
    backupCodeKey,
    issuer: 'Example',
    clock,
    random: seededRandom(),
    onEvent: (event) => {
      events.push(event);
    },
  };
}

let nextUser = 0;
/** A user of a single-tenant policy, new for each call. */
export const newUser = (): { id: string; roles: string[] } => ({ id: `user-${++nextUser}`, roles: [] });

/** The same user as the actor of his own session, with no recent proofs. */
export const asActor = <U extends TwoFactorUser>(user: U) => ({
  ...user,
  reauthenticatedAt: null,
  secondFactor: null,
});

/**
 * The same user as the actor of his own session who re-entered his password at `at` and, unless
 * `method` is `null`, passed a second factor with `method` at `at` too.
 */
export const freshActor = <U extends TwoFactorUser>(user: U, at: number, method: Method | null = 'totp') => ({
  ...user,
  reauthenticatedAt: at,
  secondFactor: method === null ? null : { at, method },
});

/** The code the user's app shows at `time`, `steps` steps away, from the manual key he typed in. */
export function appCode(manualKey: string, time: number, steps = 0): string {
  return totp(base32Decode(manualKey.replaceAll(' ', '')), { time: time + steps * STEP_MS });
}

/** The code an app that scanned the QR code of `uri` shows at `time`, `steps` of its periods away. */
export function scannedCode(uri: string, time: number, steps = 0): string {
  const key = parseKeyUri(uri);
  if (key.type !== 'totp') throw new Error('expected a totp Key URI');
  const { secret, period, digits, algorithm } = key;
  return totp(secret, { time: time + steps * period * 1000, period, digits, algorithm });
}

/** A six-digit code other than `code`. */
export const otherCode = (code: string): string =>
  String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');

/** The error a promise rejects with (a test fails if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<SecondFactorError> {
  try {
    await promise;
  } catch (error) {
    if (isSecondFactorError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

/** A user with a confirmed authenticator app; returns his manual key and first backup codes. */
export async function enrolled(h: Harness, user = newUser()) {
  const start = await h.twoFactor.beginEnrollment(asActor(user), { method: 'totp' });
  const confirmed = await h.twoFactor.confirmEnrollment(asActor(user), {
    enrollmentId: start.enrollmentId,
    code: appCode(start.manualKey, h.clock()),
  });
  return { user, manualKey: start.manualKey, backupCodes: confirmed.backupCodes ?? [], start, confirmed };
}

/** The answer of an `addAddress` that sent a code (every test address needs one unless trusted). */
export async function codeSent(added: Promise<AddressAdded>): Promise<AddressCodeSent> {
  const answer = await added;
  if (answer.status !== 'code_sent') throw new Error(`expected a code to be sent, got ${answer.status}`);
  return answer;
}
