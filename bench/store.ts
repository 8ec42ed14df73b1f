/**
 * @module
 * The store's share of a successful TOTP verification, per backend, on two paths:
 * - cold: the lockout check and the sealed secret read together (`getCredentialForVerification`), then
 *   the replay guard with the reset of the failure counters (`recordOtpUse` with `clearFailures`);
 * - warm: the sealed credential comes from a per-process cache, and one `recordOtpUse` with `ifSecret`,
 *   `unlessLocked` and `clearFailures` lets the store decide replay, rotation, deletion and lockout.
 * Memory, PGlite, PostgreSQL (`DATABASE_URL`) and Redis (`REDIS_URL`), each with 1 and 16 concurrent
 * clients: verifications/s, p50/p99 latency, and the round trips per verification counted by a wrapper
 * around the driver (statements sent, commands sent; see `store-backends.ts`).
 */
import { randomBytes } from 'node:crypto';
import type { CredentialRecord, SecondFactorStore } from '@secondfactor/store';
import { type Backend, openMemory, openPglite, openPostgres, openRedis } from './store-backends';
import { formatOps, type Table } from './table';

const QUICK = process.env.BENCH_QUICK === '1';
/** Per backend and client count: warm-up, then the measured phase (ms). */
const WARMUP_MS = QUICK ? 100 : 300;
const MEASURE_MS = QUICK ? 300 : 1_500;
const CLIENTS = [1, 16] as const;

/** Issue 3: round trips per successful verification, each judged on one path. */
const TARGETS: readonly { backend: 'postgres' | 'redis'; path: Path; limit: number; goal: string }[] = [
  {
    backend: 'postgres',
    path: 'cold',
    limit: 2,
    goal: 'PostgreSQL (PGlite and server) ≤ 2 round trips, cold path',
  },
  { backend: 'redis', path: 'warm', limit: 1, goal: 'Redis 1 round trip, warm path (steady state)' },
];

/** cold: read the credential and the counters, then record; warm: record against the cached credential. */
type Path = 'cold' | 'warm';
const PATHS: readonly Path[] = ['cold', 'warm'];
const CALLS: Record<Path, string> = {
  cold: 'getCredentialForVerification, then recordOtpUse with clearFailures (2 calls)',
  warm: 'recordOtpUse with ifSecret, unlessLocked and clearFailures, the credential from a process cache (1 call)',
};

/** One simulated user: a credential, the keys its failures are counted under, its next step. */
interface Client {
  readonly userId: string;
  readonly credentialId: string;
  readonly keys: readonly string[];
  step: number;
  /** The process cache of the warm path: the sealed credential as last read (ciphertext only). */
  cached?: CredentialRecord | undefined;
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
let clock = Date.now();
/** Injected time: increases by 1 ms per call, so counters and expiries behave as in production. */
const now = (): number => ++clock;

/**
 * The store's share of one successful verification; throws if it does not succeed. The warm path falls
 * back to the cold one while the client's cache is empty, as a service does on a credential's first use.
 */
async function verify(store: SecondFactorStore, client: Client, path: Path): Promise<void> {
  const [at, step, cached] = [now(), client.step++, client.cached?.otp?.secretCiphertext];
  if (path === 'warm' && cached !== undefined) {
    // The code was checked against the cached secret; the store decides that it is still the stored one,
    // that no counter is locked and that the step is new, records it and resets the counters.
    const options = { now: at, driftSteps: 0, ifSecret: cached, unlessLocked: client.keys };
    if (
      !(await store.recordOtpUse(client.userId, client.credentialId, {
        step: step,
        ...options,
        clearFailures: client.keys,
      }))
    ) {
      throw new Error('a fresh step was refused on the warm path');
    }
    return;
  }
  const read = await store.getCredentialForVerification(client.userId, client.credentialId, {
    now: at,
    failureKeys: client.keys,
  });
  if (read.credential?.otp === undefined || read.failures.some((state) => state.lockedUntil !== null)) {
    throw new Error('the credential was not readable or the user was locked');
  }
  client.cached = read.credential;
  if (
    !(await store.recordOtpUse(client.userId, client.credentialId, {
      step: step,
      now: at,
      driftSteps: 0,
      clearFailures: client.keys,
    }))
  ) {
    throw new Error('a fresh step was refused');
  }
}

/** A TOTP credential as enrollment stores it: a sealed-looking 48-byte secret, SHA-1, 6 digits, 30 s. */
export function totpCredential(id: string, userId: string, createdAt: number): CredentialRecord {
  return {
    id,
    userId,
    kind: 'totp',
    label: 'Phone',
    otp: {
      secretCiphertext: `sf1.bench.${randomBytes(48).toString('base64url')}`,
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    },
    createdAt,
  };
}

/** Fresh users with one TOTP credential each; a failure is pending on each key, so the reset does work. */
async function newClients(store: SecondFactorStore, count: number): Promise<Client[]> {
  const limits = { maxFailures: 5, windowMs: 600_000, lockoutMs: 60_000 };
  const clients: Client[] = [];
  for (let i = 0; i < count; i++) {
    const userId = `bench-user-${hex(8)}`;
    const credential = totpCredential(`bench-cred-${hex(8)}`, userId, now());
    await store.addCredential(credential);
    const keys = [`user:${userId}`, `totp:${credential.id}`];
    for (const key of keys) await store.registerFailure(key, { now: now(), limits });
    clients.push({ userId, credentialId: credential.id, keys, step: 57_000_000 });
  }
  return clients;
}

/**
 * Checks on one client that the flow does what it claims: counters reset, a replay refused; on the warm
 * path also a stale cached secret and a locked counter refused.
 */
async function checkFlow(store: SecondFactorStore, client: Client, path: Path): Promise<void> {
  await verify(store, client, path);
  for (const key of client.keys) {
    if ((await store.getFailures(key, { now: now() })).count !== 0) throw new Error(`${key} was not reset`);
  }
  const replay = await store.recordOtpUse(client.userId, client.credentialId, {
    step: client.step - 1,
    now: now(),
  });
  if (replay) throw new Error('a replayed step was accepted');
  if (path === 'cold') return;
  // A cached secret that is no longer the stored one, and a locked counter, each refuse.
  const stale = { now: now(), ifSecret: `sf1.bench.${randomBytes(48).toString('base64url')}` };
  const lock = `lock:${client.userId}`;
  await store.registerFailure(lock, {
    now: stale.now,
    limits: { maxFailures: 1, windowMs: 1, lockoutMs: 1_000 },
  });
  if (
    (await store.recordOtpUse(client.userId, client.credentialId, { ...stale, step: client.step++ })) ||
    (await store.recordOtpUse(client.userId, client.credentialId, {
      step: client.step++,
      now: stale.now,
      unlessLocked: [lock],
    }))
  ) {
    throw new Error('a stale cached secret or a locked counter did not refuse');
  }
}

interface Run {
  readonly opsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly roundTrips: number | null;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** `clients` loops verifying as fast as they can for `ms`; latencies recorded when `record`. */
async function drive(
  backend: Backend,
  clients: readonly Client[],
  path: Path,
  ms: number,
  latencies: number[] | null,
): Promise<number> {
  const deadline = performance.now() + ms;
  let done = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        const started = performance.now();
        await verify(backend.store, client, path);
        latencies?.push(performance.now() - started);
        done += 1;
      }
    }),
  );
  return done;
}

async function measureRun(backend: Backend, count: number, path: Path): Promise<Run> {
  const clients = await newClients(backend.store, count);
  await checkFlow(backend.store, clients[0]!, path);
  // The warm-up also fills every client's cache on the warm path: the measured phase is the steady state.
  await drive(backend, clients, path, WARMUP_MS, null);
  const latencies: number[] = [];
  const tripsBefore = backend.roundTrips();
  const started = performance.now();
  const verifications = await drive(backend, clients, path, MEASURE_MS, latencies);
  const elapsed = performance.now() - started;
  const tripsAfter = backend.roundTrips();
  latencies.sort((a, b) => a - b);
  return {
    opsPerSecond: (verifications * 1000) / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    roundTrips:
      tripsBefore === null || tripsAfter === null ? null : (tripsAfter - tripsBefore) / verifications,
  };
}

const ms = (value: number): string => (value < 0.9995 ? value.toFixed(3) : value.toFixed(2));

/** Runs every backend on both paths with 1 and 16 clients and returns the table with the round-trip verdicts. */
export async function storeBench(): Promise<Table> {
  const openers: [string, () => Promise<Backend | string>][] = [
    ['memory', openMemory],
    ['PGlite', openPglite],
    ['PostgreSQL', openPostgres],
    ['Redis', openRedis],
  ];
  const rows: string[][] = [];
  const notes: string[] = [];
  const measured: { target: string; path: Path; trips: number }[] = [];
  let failed = false;
  for (const [label, open] of openers) {
    let backend: Backend | string;
    try {
      backend = await open();
    } catch (error) {
      backend = `could not be opened: ${(error as Error).message}`;
    }
    if (typeof backend === 'string') {
      console.error(`store bench: ${label} skipped: ${backend}`);
      notes.push(`${label} skipped: ${backend}`);
      rows.push([label, 'skipped', '—', '—', '—', '—', '—']);
      continue;
    }
    try {
      for (const clients of CLIENTS) {
        for (const path of PATHS) {
          const run = await measureRun(backend, clients, path);
          if (backend.target !== undefined && run.roundTrips !== null) {
            measured.push({ target: backend.target, path, trips: run.roundTrips });
          }
          rows.push([
            backend.name,
            path,
            String(clients),
            formatOps(run.opsPerSecond),
            ms(run.p50),
            ms(run.p99),
            run.roundTrips === null ? '0' : run.roundTrips.toFixed(2),
          ]);
        }
      }
    } catch (error) {
      failed = true;
      notes.push(`${backend.name} FAILED: ${(error as Error).message}`);
      rows.push([backend.name, '—', '—', 'FAILED', '—', '—', '—']);
    } finally {
      await backend.close();
    }
  }
  for (const { backend, path, limit, goal } of TARGETS) {
    const trips = measured.filter((m) => m.target === backend && m.path === path).map((m) => m.trips);
    const worst = Math.max(...trips);
    failed ||= worst > limit;
    const verdict = trips.length === 0 ? 'NOT MEASURED (backend skipped)' : worst > limit ? 'NOT MET' : 'MET';
    notes.push(`TARGET ${goal}: ${verdict}${trips.length === 0 ? '' : ` (measured ${worst.toFixed(2)})`}`);
  }
  notes.push(
    `cold path: ${CALLS.cold}. The first verification of a credential in a process, or the one after a ` +
      'refusal: the lockout state and the sealed secret are read, the code is checked in the application, ' +
      'then the use is recorded.',
    `warm path (steady state): ${CALLS.warm}. The cache holds the sealed credential (ciphertext only, B6); ` +
      'the code is checked first, then the store decides in one step that the cached secret is still the ' +
      'stored one (not rotated, not deleted), that no counter is locked (E1) and that the step is new (D1), ' +
      'and resets the counters (E6). A refusal does not say why: the service then reads once (cold path).',
    `method: per backend, path and client count, fresh users (one TOTP credential and two failure keys each, ` +
      `one failure pending per key), ${WARMUP_MS} ms warm-up (which also fills the cache of the warm path), ` +
      `then ${MEASURE_MS} ms of clients verifying in a loop with increasing steps, so every verification ` +
      'succeeds (checked first: counters reset, replay refused; warm: a stale secret and a locked counter ' +
      'refused). Latency is one whole verification; ops/s counts completed verifications of all clients.',
    'round trips: statements sent through a counting SqlClient (PostgreSQL, PGlite), commands sent through ' +
      'a counting ioredis `call` (Redis), divided by the verifications of the measured phase; 0 for memory ' +
      '(in process). PGlite runs in the bench process, so its "round trips" cost no network.',
  );
  return {
    title:
      'Store: successful TOTP verification, cold (read, then record) and warm (cached credential, one record)',
    columns: ['backend', 'path', 'clients', 'verifications/s', 'p50 (ms)', 'p99 (ms)', 'round trips each'],
    rows,
    notes,
    failed,
  };
}
