/**
 * @module
 * The races across processes: what the test process and its workers share (the recipe of one service —
 * same keys, same policy — and of a store on one server, a PostgreSQL schema or a Redis key prefix each
 * process opens on its own), and a pool of worker processes forked once and raced many times. Each race
 * hands every worker its calls, waits until all hold them, then releases them together (the barrier of
 * `raceAcrossProcesses` in `@secondfactor/store/testing`, which forks anew for every race: on a busy
 * machine starting 4 processes costs more than the race itself).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isSecondFactorError } from '@secondfactor/core';
import { createPolicy, selfService } from '@secondfactor/policy';
import { createTwoFactor, type TwoFactor } from '@secondfactor/service';
import { type SecondFactorStore, SecretBox } from '@secondfactor/store';
import { PostgresStore } from '@secondfactor/store-postgres';
import { RedisStore } from '@secondfactor/store-redis';
import { Redis } from 'ioredis';
import pg from 'pg';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
const suffix = (): string => hex(crypto.getRandomValues(new Uint8Array(6)));

// --- the same service in every process -----------------------------------------------------------

/**
 * The keys (hex) every process builds its service with.
 *
 * @example
 * ```ts
 * import { newServiceRecipe, type ServiceRecipe } from './process-harness';
 *
 * const recipe: ServiceRecipe = newServiceRecipe();
 * ```
 */
export interface ServiceRecipe {
  /** The SecretBox key sealing TOTP secrets. */
  secretKey: string;
  backupCodeKey: string;
}

/**
 * A recipe with fresh random keys.
 *
 * @example
 * ```ts
 * import { newServiceRecipe } from './process-harness';
 *
 * const { secretKey, backupCodeKey } = newServiceRecipe();
 * ```
 */
export function newServiceRecipe(): ServiceRecipe {
  const key = () => hex(crypto.getRandomValues(new Uint8Array(32)));
  return { secretKey: key(), backupCodeKey: key() };
}

/**
 * The selfService service over `store`, from `recipe`, reading the time from `clock`.
 *
 * @example
 * ```ts
 * import { buildService, newServiceRecipe } from './process-harness';
 *
 * const twoFactor = buildService(store, newServiceRecipe(), () => Date.UTC(2025, 10, 23));
 * ```
 */
export function buildService(
  store: SecondFactorStore,
  recipe: ServiceRecipe,
  clock: () => number,
): TwoFactor {
  return createTwoFactor({
    store,
    secretBox: new SecretBox({ keys: { k1: bytes(recipe.secretKey) }, currentKeyId: 'k1' }),
    backupCodeKey: bytes(recipe.backupCodeKey),
    policy: createPolicy(selfService),
    issuer: 'Example',
    clock,
  });
}

// --- one store, opened by every process ----------------------------------------------------------

/**
 * Where a store lives, for each process to open a connection of its own.
 *
 * @example
 * ```ts
 * import type { StoreRecipe } from './process-harness';
 *
 * const recipe: StoreRecipe = { kind: 'redis', url: 'redis://127.0.0.1:6379', prefix: 'sf-race:1a2b:' };
 * ```
 */
export type StoreRecipe =
  | { kind: 'postgres'; url: string; schema: string }
  | { kind: 'redis'; url: string; prefix: string };

/**
 * A store of this process and what closes its connection.
 *
 * @example
 * ```ts
 * import { type OpenedStore, openStore } from './process-harness';
 *
 * const opened: OpenedStore = await openStore(recipe);
 * ```
 */
export interface OpenedStore {
  store: SecondFactorStore;
  close(): Promise<void>;
}

/**
 * Connects to the recipe's server (before resolving, so a race times the store's steps and not the
 * handshakes) and opens a store over its schema or prefix.
 *
 * @example
 * ```ts
 * import { openStore } from './process-harness';
 *
 * const { store, close } = await openStore({ kind: 'postgres', url, schema: 'sf_race_1a2b' });
 * ```
 */
export async function openStore(recipe: StoreRecipe): Promise<OpenedStore> {
  if (recipe.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: recipe.url, max: 4 });
    pool.on('error', () => undefined);
    (await pool.connect()).release();
    return { store: PostgresStore.fromPg(pool, { schema: recipe.schema }), close: () => pool.end() };
  }
  const client = new Redis(recipe.url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  await client.connect();
  const store = new RedisStore(client, { prefix: recipe.prefix });
  await store.loadScripts();
  return { store, close: async () => void (await client.quit()) };
}

async function dropSchema(recipe: StoreRecipe & { kind: 'postgres' }): Promise<void> {
  const client = new pg.Client({ connectionString: recipe.url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${recipe.schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

async function deleteKeys(recipe: StoreRecipe & { kind: 'redis' }): Promise<void> {
  const client = new Redis(recipe.url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  await client.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${recipe.prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    await client.quit();
  }
}

/**
 * A server the races run on, skipped with its reason when its variable is unset, and how to make a
 * fresh namespace on it (migrated) and remove it afterwards.
 *
 * @example
 * ```ts
 * import { SERVERS } from './process-harness';
 *
 * const { recipe, drop } = await SERVERS[0].create();
 * ```
 */
export interface Server {
  name: string;
  skip: string | undefined;
  create(): Promise<{ recipe: StoreRecipe; drop(): Promise<void> }>;
}

const DATABASE_URL = process.env.DATABASE_URL || undefined;
const REDIS_URL = process.env.REDIS_URL || undefined;

/**
 * PostgreSQL at `DATABASE_URL` and Redis at `REDIS_URL`.
 *
 * @example
 * ```ts
 * import { SERVERS } from './process-harness';
 *
 * for (const { name, skip } of SERVERS) if (skip !== undefined) console.info(`${name}: ${skip}`);
 * ```
 */
export const SERVERS: readonly Server[] = [
  {
    name: 'PostgreSQL',
    skip: DATABASE_URL === undefined ? 'DATABASE_URL is not set: no PostgreSQL server to race on' : undefined,
    create: async () => {
      const recipe = { kind: 'postgres', url: DATABASE_URL ?? '', schema: `sf_race_${suffix()}` } as const;
      const opened = await openStore(recipe);
      try {
        await (opened.store as PostgresStore).migrate();
      } finally {
        await opened.close();
      }
      return { recipe, drop: () => dropSchema(recipe) };
    },
  },
  {
    name: 'Redis',
    skip: REDIS_URL === undefined ? 'REDIS_URL is not set: no Redis server to race on' : undefined,
    create: async () => {
      const recipe = { kind: 'redis', url: REDIS_URL ?? '', prefix: `sf-race:${suffix()}:` } as const;
      return { recipe, drop: () => deleteKeys(recipe) };
    },
  },
];

// --- the calls of a race and their outcomes ------------------------------------------------------

/**
 * One call of a race: a service method and its JSON arguments.
 *
 * @example
 * ```ts
 * import type { RaceCall } from './process-harness';
 *
 * const call: RaceCall = { method: 'verifyLogin', args: [{ loginId, method: 'totp', code: '123456' }] };
 * ```
 */
export interface RaceCall {
  method: 'verifyLogin' | 'confirmEnrollment';
  args: unknown[];
}

/**
 * `'ok'` for a call that resolved, the code of a `SecondFactorError`, or `unexpected <name>: <message>`
 * for any other error (which no expected set contains).
 *
 * @example
 * ```ts
 * import type { Outcome } from './process-harness';
 *
 * const outcomes: Outcome[] = ['ok', 'otp_replayed'];
 * ```
 */
export type Outcome = string;

/**
 * Fires `calls` at once and resolves each one's {@link Outcome}, in order.
 *
 * @example
 * ```ts
 * import { fire } from './process-harness';
 *
 * const outcomes = await fire(twoFactor, calls);
 * ```
 */
export async function fire(twoFactor: TwoFactor, calls: readonly RaceCall[]): Promise<Outcome[]> {
  const settled = await Promise.allSettled(
    calls.map((call) => (twoFactor[call.method] as (...args: unknown[]) => Promise<unknown>)(...call.args)),
  );
  return settled.map((result) => {
    if (result.status === 'fulfilled') return 'ok';
    const error: unknown = result.reason;
    if (isSecondFactorError(error)) return error.code;
    return error instanceof Error
      ? `unexpected ${error.name}: ${error.message}`
      : `unexpected ${String(error)}`;
  });
}

/**
 * What every worker of a pool is started with, and what each race hands one of them.
 *
 * @example
 * ```ts
 * import type { RaceJob, WorkerSetup } from './process-harness';
 *
 * const setup: WorkerSetup = { store: recipe, service: newServiceRecipe() };
 * const job: RaceJob = { now: Date.UTC(2025, 10, 23), calls: [] };
 * ```
 */
export interface WorkerSetup {
  store: StoreRecipe;
  service: ServiceRecipe;
}
export interface RaceJob {
  /** The time the worker's clock stands at during this race. */
  now: number;
  calls: RaceCall[];
}

// --- the pool ------------------------------------------------------------------------------------

type ToWorker = { type: 'job'; job: RaceJob } | { type: 'go' } | { type: 'close' };
type FromWorker =
  | { type: 'ready' }
  | { type: 'armed' }
  | { type: 'result'; value: Outcome[] }
  | { type: 'error'; message: string };

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WORKER_SCRIPT = fileURLToPath(new URL('./workers/service-race-worker.ts', import.meta.url));

/** The messages of one worker, taken one at a time; its exit fails whoever waits. */
class Inbox {
  private readonly queue: FromWorker[] = [];
  private waiter: ((message: FromWorker | Error) => void) | undefined;
  private ended: Error | undefined;

  constructor(
    readonly child: ChildProcess,
    index: number,
  ) {
    child.on('message', (message: FromWorker) => this.deliver(message));
    child.on('exit', (code, signal) => {
      this.ended = new Error(`worker ${index} exited (${signal ?? `code ${code}`})`);
      this.deliver(this.ended);
    });
  }

  private deliver(message: FromWorker | Error): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter !== undefined) waiter(message);
    else if (!(message instanceof Error)) this.queue.push(message);
  }

  /** The next message, which must be of `type`. */
  async next<T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>> {
    const message =
      this.queue.shift() ??
      this.ended ??
      (await new Promise<FromWorker | Error>((resolve) => {
        this.waiter = resolve;
      }));
    if (message instanceof Error) throw message;
    if (message.type === 'error') throw new Error(message.message);
    if (message.type !== type) throw new Error(`expected ${type}, got ${message.type}`);
    return message as Extract<FromWorker, { type: T }>;
  }

  send(message: ToWorker): void {
    this.child.send(message);
  }
}

async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Worker processes, each with its own connection to one store and its own service, forked once and
 * raced many times.
 *
 * @example
 * ```ts
 * import { RacePool } from './process-harness';
 *
 * const pool = await RacePool.start(4, { store: recipe, service: newServiceRecipe() });
 * const outcomes = await pool.race(now, calls); // exactly one 'ok' expected
 * await pool.close();
 * ```
 */
export class RacePool {
  private constructor(private readonly workers: readonly Inbox[]) {}

  /** Forks `count` workers (`node --import tsx`) and resolves once each has its store and service. */
  static async start(count: number, setup: WorkerSetup, timeoutMs = 60_000): Promise<RacePool> {
    const workers = Array.from({ length: count }, (_, index) => {
      const child = fork(WORKER_SCRIPT, [JSON.stringify(setup), String(index)], {
        cwd: REPO_ROOT,
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'json',
      });
      return new Inbox(child, index);
    });
    const pool = new RacePool(workers);
    try {
      await within(timeoutMs, 'starting the workers', Promise.all(workers.map((w) => w.next('ready'))));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /**
   * Deals `calls` round-robin to the workers, waits until every worker holds its share, releases all
   * of them in one loop, and resolves every call's outcome (grouped by worker).
   */
  async race(now: number, calls: readonly RaceCall[], timeoutMs = 60_000): Promise<Outcome[]> {
    const count = this.workers.length;
    this.workers.forEach((worker, index) => {
      worker.send({ type: 'job', job: { now, calls: calls.filter((_, i) => i % count === index) } });
    });
    return within(
      timeoutMs,
      'the race',
      (async () => {
        await Promise.all(this.workers.map((worker) => worker.next('armed')));
        // The barrier: nobody starts before everybody holds his calls.
        for (const worker of this.workers) worker.send({ type: 'go' });
        const results = await Promise.all(this.workers.map((worker) => worker.next('result')));
        return results.flatMap((result) => result.value);
      })(),
    );
  }

  /** Asks every worker to close its connection and exit; kills those that have not within 10 s. */
  async close(): Promise<void> {
    const running = this.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    const exited = running.map((w) => new Promise((resolve) => w.child.once('exit', resolve)));
    for (const worker of running) if (worker.child.connected) worker.send({ type: 'close' });
    await Promise.race([Promise.all(exited), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    for (const worker of running) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await Promise.all(exited);
  }
}

/**
 * The worker's side of {@link RacePool} (in `workers/service-race-worker.ts`): opens the store, builds
 * the service, then answers jobs until asked to close.
 *
 * @example
 * ```ts
 * import { serveRaces } from '../process-harness';
 *
 * await serveRaces();
 * ```
 */
export async function serveRaces(): Promise<void> {
  const send = (message: FromWorker): void => {
    process.send?.(message);
  };
  const setup = JSON.parse(process.argv[2] ?? 'null') as WorkerSetup;
  let opened: OpenedStore;
  try {
    opened = await openStore(setup.store);
  } catch (error) {
    send({ type: 'error', message: `opening the store: ${(error as Error).message}` });
    process.disconnect?.();
    return;
  }
  let now = 0;
  const twoFactor = buildService(opened.store, setup.service, () => now);
  let job: RaceJob | undefined;
  process.on('message', async (message: ToWorker) => {
    if (message.type === 'job') {
      job = message.job;
      send({ type: 'armed' });
    } else if (message.type === 'go' && job !== undefined) {
      now = job.now;
      try {
        send({ type: 'result', value: await fire(twoFactor, job.calls) });
      } catch (error) {
        send({ type: 'error', message: (error as Error).message });
      }
    } else if (message.type === 'close') {
      await opened.close().catch(() => undefined);
      process.disconnect?.();
    }
  });
  send({ type: 'ready' });
}
