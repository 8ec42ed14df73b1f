/**
 * @module
 * The pieces of the service bench (`service.ts`): the clock every login reads, a store wrapper that
 * records which store methods a call used, the two logins under test (the service and the bare packages,
 * `service-bare.ts`) behind one shape, and users enrolled up front through the service with the
 * authenticator app each one holds.
 */
import { randomBytes } from 'node:crypto';
import { base32Decode, createTotp, type PreparedTotp } from '@secondfactor/core';
import { createPolicy, type Policy, selfService } from '@secondfactor/policy';
import { createTwoFactor, type TwoFactor } from '@secondfactor/service';
import { type SecondFactorStore, SecretBox } from '@secondfactor/store';
import { bareLogin } from './service-bare';

/** RFC 6238 §4.1: the 30 s step of the policy the bench runs (selfService). */
export const STEP_MS = 30_000;

/** A clock that only moves forward, and only as far as some login needs it to. */
export interface BenchClock {
  (): number;
  /** Moves the time to `time` unless it is already later. */
  advanceTo(time: number): void;
}

/** A {@link BenchClock} starting at `start` (Unix ms). */
export function benchClock(start: number): BenchClock {
  let time = start;
  const clock = (() => time) as BenchClock;
  clock.advanceTo = (next) => {
    if (next > time) time = next;
  };
  return clock;
}

/** A store whose method calls are recorded by name while `calls` is not `null`. */
export interface TracedStore {
  readonly store: SecondFactorStore;
  /** The names of the store methods called since it was last set to `[]`; `null`: not recording. */
  calls: string[] | null;
}

/**
 * Wraps `store` so that each method call is recorded by name. Methods run on the store itself, so the
 * calls a store makes to itself are not recorded: only what its caller asked for.
 */
export function traceStore(store: SecondFactorStore): TracedStore {
  const traced: TracedStore = { store, calls: null };
  const proxy = new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        traced.calls?.push(property);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return Object.assign(traced, { store: proxy });
}

/** A user as both logins take him, with his authenticator app and the earliest time of his next code. */
export interface Client {
  readonly user: { readonly id: string; readonly roles: readonly string[] };
  readonly app: PreparedTotp;
  /** The policy's window ahead of the server's step (selfService: 2). */
  readonly future: number;
  /** The start of the step after the one his last code was recorded under: his next code is never a replay. */
  nextAt: number;
}

/**
 * The time from which `client`'s next code is fresh, after his code `code` of the time `at` was accepted.
 * The step recorded is the latest step of the window whose code is `code` (the verifier keeps the latest
 * match): usually the step of `at`, but about once in 500,000 logins a step ahead has the same six digits
 * and is recorded instead, which would make the code of the next step a replay.
 */
export function nextCodeAt(client: Client, at: number, code: string): number {
  let recorded = Math.floor(at / STEP_MS);
  for (let k = 1; k <= client.future; k++) {
    if (client.app.generate(at + k * STEP_MS) === code) recorded = Math.floor(at / STEP_MS) + k;
  }
  return (recorded + 1) * STEP_MS;
}

/** One login under test: `start` is `startLogin`, `verify` is `verifyLogin` with a TOTP code. */
export interface Login {
  readonly name: string;
  start(client: Client): Promise<unknown>;
  verify(pending: unknown, code: string): Promise<unknown>;
}

/** The service's login; `startLogin` must open a pending login (state `challenge`). */
export function serviceLogin(twoFactor: TwoFactor): Login {
  return {
    name: 'service',
    start: async (client) => {
      const start = await twoFactor.startLogin({ id: client.user.id, roles: [...client.user.roles] });
      if (start.state !== 'challenge' || start.loginId === null) {
        throw new Error(`startLogin answered ${start.state} (${start.reason}), not challenge`);
      }
      return start.loginId;
    },
    verify: (loginId, code) => twoFactor.verifyLogin({ loginId: loginId as string, method: 'totp', code }),
  };
}

/** The same login on the bare packages. */
export function bareLoginOf(deps: Parameters<typeof bareLogin>[0]): Login {
  const bare = bareLogin(deps);
  return {
    name: 'bare packages',
    start: (client) => bare.start(client.user),
    verify: (pending, code) => bare.verify(pending as Parameters<typeof bare.verify>[0], code),
  };
}

/**
 * One whole login of `client`: the clock moves to his next step if it is not there yet, `start`, his app's
 * code read at the time `verify` will read, `verify`. With the clock advanced only this far, a login in
 * flight sees the time move by a few steps at most, well inside the pending login's lifetime.
 */
export async function login(impl: Login, client: Client, clock: BenchClock): Promise<void> {
  clock.advanceTo(client.nextAt);
  const pending = await impl.start(client);
  const at = clock();
  const code = client.app.generate(at);
  await impl.verify(pending, code);
  client.nextAt = nextCodeAt(client, at, code);
}

/** The service and what the bare login needs of it, over one store. */
export interface Services {
  readonly policy: Policy;
  readonly secretBox: SecretBox;
  readonly clock: BenchClock;
  /** A service over `store` itself: the one timed. */
  readonly timed: TwoFactor;
  /** A service over `traced.store`: the one whose round trips and store calls are counted. */
  readonly counted: TwoFactor;
  readonly traced: TracedStore;
}

/** Two services over one store (one timed, one counted), with the selfService policy and `clock`. */
export function services(store: SecondFactorStore, clock: BenchClock): Services {
  const policy = createPolicy(selfService);
  const secretBox = new SecretBox({ keys: { k1: new Uint8Array(randomBytes(32)) }, currentKeyId: 'k1' });
  const backupCodeKey = new Uint8Array(randomBytes(32));
  const traced = traceStore(store);
  const over = (s: SecondFactorStore): TwoFactor =>
    createTwoFactor({ store: s, secretBox, backupCodeKey, policy, issuer: 'Bench', clock });
  return { policy, secretBox, clock, timed: over(store), counted: over(traced.store), traced };
}

/**
 * `count` new users, each with one authenticator app set up through the service (`beginEnrollment`,
 * then `confirmEnrollment` with the app's code); the app is kept from the manual key, as a user types it.
 */
export async function enrollClients(
  twoFactor: TwoFactor,
  policy: Policy,
  clock: BenchClock,
  count: number,
): Promise<Client[]> {
  const clients: Client[] = [];
  for (let i = 0; i < count; i++) {
    const user = { id: `bench-user-${randomBytes(6).toString('hex')}`, roles: [] as string[] };
    const actor = { ...user, reauthenticatedAt: null, secondFactor: null };
    const { enrollmentId, manualKey } = await twoFactor.beginEnrollment(actor, { method: 'totp' });
    const app = createTotp(base32Decode(manualKey.replaceAll(' ', '')));
    const at = clock();
    const code = app.generate(at);
    await twoFactor.confirmEnrollment(actor, { enrollmentId, code });
    const client = { user, app, future: policy.settings.otp.window.future, nextAt: 0 };
    client.nextAt = nextCodeAt(client, at, code);
    clients.push(client);
  }
  return clients;
}
