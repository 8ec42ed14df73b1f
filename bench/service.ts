/**
 * @module
 * A full login through `@secondfactor/service` — `startLogin`, then `verifyLogin` with a right TOTP code
 * — with 16 logins in flight, on memory, PGlite, PostgreSQL (`DATABASE_URL`) and Redis (`REDIS_URL`):
 * logins/s, p50 and p99 of the whole login, and the store round trips of each call, counted by the
 * wrappers around the drivers (`store-backends.ts`). Beside it, the same login written on the bare
 * packages (`service-bare.ts`), so the service's own cost can be read off; on memory it is a target.
 */
import { isSecondFactorError } from '@secondfactor/core';
import type { BarePath } from './service-bare';
import {
  type BenchClock,
  bareLoginOf,
  benchClock,
  type Client,
  enrollClients,
  type Login,
  login,
  nextCodeAt,
  serviceLogin,
  services,
  type TracedStore,
} from './service-setup';
import { type Backend, openMemory, openPglite, openPostgres, openRedis } from './store-backends';
import { formatOps, type Table } from './table';

const QUICK = process.env.BENCH_QUICK === '1';
/** Logins in flight, each on its own user (issue: 16 concurrent logins). */
const IN_FLIGHT = 16;
/** Per implementation: warm-up, then `ROUNDS` samples of `SAMPLE_MS`, the two implementations alternating. */
const WARMUP_MS = QUICK ? 100 : 1_000;
const ROUNDS = QUICK ? 2 : 7;
const SAMPLE_MS = QUICK ? 150 : 400;
/** Logins per user counted one at a time after his first (the warm path). */
const COUNTED = QUICK ? 2 : 3;
/** 2025-11-23T12:00:00Z: a fixed start, so a run does not depend on the date. */
const START = Date.UTC(2025, 10, 23, 12, 0, 0);

/** Issue targets. */
const VERIFY_TRIPS_LIMIT = 3;
const OVERHEAD_LIMIT = 0.25;

/** Round trips of one call on its own: mean over the calls counted, and the range when they differ. */
interface Trips {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

/** What one implementation measured on one backend. */
interface Result {
  readonly name: string;
  readonly loginsPerSecond: number;
  /** CPU time of the bench process per login, µs (median of the rounds): what a login costs here. */
  readonly cpuPerLogin: number;
  readonly p50: number;
  readonly p99: number;
  readonly start: Trips;
  readonly first: Trips;
  readonly warm: Trips;
  /** Round trips per login in the timed phase (16 in flight), to check against the counted calls. */
  readonly timedTrips: number | null;
  /** The store methods of one call: startLogin, the first verifyLogin, a warm verifyLogin. */
  readonly calls: { readonly start: string[]; readonly first: string[]; readonly warm: string[] };
}

const summary = (values: readonly number[]): Trips => ({
  mean: values.reduce((a, b) => a + b, 0) / Math.max(1, values.length),
  min: Math.min(...values),
  max: Math.max(...values),
});

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Each call of a login on its own, one user after another, so that the change of the backend's round-trip
 * counter across a call is that call's: every user's first login (the first verification of his
 * credential in this process), then {@link COUNTED} more each (the warm path). The store methods of each
 * call are recorded through `traced`.
 */
async function countCalls(
  backend: Backend,
  impl: Login,
  traced: TracedStore,
  clients: readonly Client[],
  clock: BenchClock,
): Promise<Pick<Result, 'start' | 'first' | 'warm' | 'calls'>> {
  const trips = { start: [] as number[], first: [] as number[], warm: [] as number[] };
  const calls = { start: [] as string[], first: [] as string[], warm: [] as string[] };
  const counter = (): number => backend.roundTrips() ?? 0;
  for (let round = 0; round <= COUNTED; round++) {
    for (const client of clients) {
      clock.advanceTo(client.nextAt);
      traced.calls = [];
      let before = counter();
      const pending = await impl.start(client);
      trips.start.push(counter() - before);
      calls.start = traced.calls;
      const at = clock();
      const code = client.app.generate(at);
      traced.calls = [];
      before = counter();
      await impl.verify(pending, code);
      const phase = round === 0 ? 'first' : 'warm';
      trips[phase].push(counter() - before);
      calls[phase] = traced.calls;
      traced.calls = null;
      client.nextAt = nextCodeAt(client, at, code);
    }
  }
  return { start: summary(trips.start), first: summary(trips.first), warm: summary(trips.warm), calls };
}

/**
 * Checks on one user that a login succeeds and that its code, sent again to a new login in the same step,
 * is refused as a replay (the bench's clock has not moved since).
 */
async function checkLogin(impl: Login, client: Client, clock: BenchClock): Promise<void> {
  await login(impl, client, clock);
  const pending = await impl.start(client);
  const replay = await impl.verify(pending, client.app.generate(clock())).then(
    () => null,
    (error: unknown) => error,
  );
  const refused = isSecondFactorError(replay)
    ? replay.code === 'otp_replayed'
    : replay instanceof Error && /replayed/.test(replay.message);
  if (!refused)
    throw new Error(`${impl.name}: a replayed code was not refused as a replay (${String(replay)})`);
}

/** `clients` log in in a loop, each as soon as his last login is done, for `ms`; latencies when given. */
async function drive(
  impl: Login,
  clients: readonly Client[],
  clock: BenchClock,
  ms: number,
  latencies: number[] | null,
): Promise<number> {
  const deadline = performance.now() + ms;
  let done = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        const started = performance.now();
        await login(impl, client, clock);
        latencies?.push(performance.now() - started);
        done += 1;
      }
    }),
  );
  return done;
}

/**
 * Both implementations on one backend: for each, users enrolled, one login checked, its calls counted;
 * the bare login takes the success path the service's warm `verifyLogin` was seen to take (its three calls,
 * or one `completeLogin`), so both do the same work. Then interleaved timed samples.
 */
async function measureBackend(backend: Backend): Promise<Result[]> {
  const clock = benchClock(START);
  const s = services(backend.store, clock);
  const impls: { timed: Login; counted: Login }[] = [];
  const clients: Client[][] = [];
  const counts: Pick<Result, 'start' | 'first' | 'warm' | 'calls'>[] = [];
  const prepare = async (impl: { timed: Login; counted: Login }): Promise<void> => {
    const own = await enrollClients(s.timed, s.policy, clock, IN_FLIGHT);
    await checkLogin(impl.timed, own[0]!, clock);
    counts.push(await countCalls(backend, impl.counted, s.traced, own, clock));
    impls.push(impl);
    clients.push(own);
  };
  await prepare({ timed: serviceLogin(s.timed), counted: serviceLogin(s.counted) });
  const path: BarePath = counts[0]!.calls.warm.includes('completeLogin')
    ? 'complete-login'
    : 'record-then-delete';
  const deps = { secretBox: s.secretBox, policy: s.policy, now: clock, path };
  await prepare({
    timed: bareLoginOf({ ...deps, store: backend.store }),
    counted: bareLoginOf({ ...deps, store: s.traced.store }),
  });
  for (const [k, impl] of impls.entries()) await drive(impl.timed, clients[k]!, clock, WARMUP_MS, null);
  const rates: number[][] = impls.map(() => []);
  const cpu: number[][] = impls.map(() => []);
  const latencies: number[][] = impls.map(() => []);
  const trips = impls.map(() => ({ trips: 0, logins: 0 }));
  for (let round = 0; round < ROUNDS; round++) {
    for (let j = 0; j < impls.length; j++) {
      const k = (j + round) % impls.length;
      const before = backend.roundTrips();
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const logins = await drive(impls[k]!.timed, clients[k]!, clock, SAMPLE_MS, latencies[k]!);
      const used = process.cpuUsage(cpuBefore);
      rates[k]!.push((logins * 1000) / (performance.now() - started));
      cpu[k]!.push((used.user + used.system) / logins);
      trips[k]!.trips += (backend.roundTrips() ?? 0) - (before ?? 0);
      trips[k]!.logins += logins;
    }
  }
  return impls.map((impl, k) => {
    const sorted = latencies[k]!.sort((a, b) => a - b);
    return {
      name: impl.timed.name,
      loginsPerSecond: median(rates[k]!),
      cpuPerLogin: median(cpu[k]!),
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      timedTrips: backend.roundTrips() === null ? null : trips[k]!.trips / trips[k]!.logins,
      ...counts[k]!,
    };
  });
}

const ms = (value: number): string => (value < 0.9995 ? value.toFixed(3) : value.toFixed(2));
const tripCell = (t: Trips, inProcess: boolean): string =>
  inProcess ? '0' : t.min === t.max ? t.mean.toFixed(2) : `${t.mean.toFixed(2)} (${t.min}–${t.max})`;
const percent = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
const callList = (calls: readonly string[]): string => `${calls.join(', ')} (${calls.length})`;

/** Runs every backend and returns the table with the verdicts on the issue's targets. */
export async function serviceBench(): Promise<Table> {
  const openers: [string, () => Promise<Backend | string>][] = [
    ['memory', openMemory],
    ['PGlite', openPglite],
    ['PostgreSQL', openPostgres],
    ['Redis', openRedis],
  ];
  const rows: string[][] = [];
  const notes: string[] = [];
  const verdicts: string[] = [];
  let failed = false;
  let callNotes: string[] = [];
  const tripsMeasured: { backend: string; trips: number }[] = [];
  let overhead: number | null = null;
  let wallOverhead: number | null = null;
  for (const [label, open] of openers) {
    let backend: Backend | string;
    try {
      backend = await open();
    } catch (error) {
      backend = `could not be opened: ${(error as Error).message}`;
    }
    if (typeof backend === 'string') {
      console.error(`service bench: ${label} skipped: ${backend}`);
      notes.push(`${label} skipped: ${backend}`);
      rows.push([label, '—', 'skipped', '—', '—', '—', '—', '—', '—', '—']);
      continue;
    }
    try {
      const results = await measureBackend(backend);
      const inProcess = backend.roundTrips() === null;
      const bare = results.find((r) => r.name === 'bare packages')!;
      for (const r of results) {
        const vsBare = r === bare ? '—' : percent(r.cpuPerLogin / bare.cpuPerLogin - 1);
        rows.push([
          backend.name,
          r.name,
          formatOps(r.loginsPerSecond),
          ms(r.p50),
          ms(r.p99),
          r.cpuPerLogin.toFixed(0),
          vsBare,
          tripCell(r.start, inProcess),
          tripCell(r.first, inProcess),
          tripCell(r.warm, inProcess),
        ]);
        const expected = r.start.mean + r.warm.mean;
        if (r.timedTrips !== null && Math.abs(r.timedTrips - expected) > 0.05) {
          notes.push(
            `${backend.name}, ${r.name}: ${r.timedTrips.toFixed(2)} round trips per login with 16 in flight, ` +
              `against ${expected.toFixed(2)} counted one call at a time`,
          );
        }
      }
      const service = results.find((r) => r.name === 'service')!;
      if (backend.target !== undefined)
        tripsMeasured.push({ backend: backend.name, trips: service.warm.max });
      if (inProcess) {
        overhead = service.cpuPerLogin / bare.cpuPerLogin - 1;
        wallOverhead = bare.loginsPerSecond / service.loginsPerSecond - 1;
      }
      if (callNotes.length === 0) {
        callNotes = results.flatMap((r) => [
          `${r.name}, startLogin: ${callList(r.calls.start)}`,
          `${r.name}, verifyLogin, first of a credential in the process: ${callList(r.calls.first)}`,
          `${r.name}, verifyLogin, warm: ${callList(r.calls.warm)}`,
        ]);
      }
    } catch (error) {
      failed = true;
      console.error(error);
      notes.push(`${backend.name} FAILED: ${(error as Error).message}`);
      rows.push([backend.name, '—', 'FAILED', '—', '—', '—', '—', '—', '—', '—']);
    } finally {
      await backend.close();
    }
  }
  const worst = tripsMeasured.length === 0 ? null : Math.max(...tripsMeasured.map((m) => m.trips));
  const tripsMet = worst !== null && worst <= VERIFY_TRIPS_LIMIT;
  failed ||= worst !== null && !tripsMet;
  verdicts.push(
    `TARGET verifyLogin ≤ ${VERIFY_TRIPS_LIMIT} round trips on the warm path, PostgreSQL (PGlite and server) and Redis: ` +
      (worst === null
        ? 'NOT MEASURED (backends skipped)'
        : `${tripsMet ? 'MET' : 'NOT MET'} (worst ${worst}: ${tripsMeasured.map((m) => `${m.backend} ${m.trips}`).join(', ')})`),
  );
  const overheadMet = overhead !== null && overhead <= OVERHEAD_LIMIT;
  failed ||= overhead !== null && !overheadMet;
  verdicts.push(
    `TARGET service ≤ ${percent(OVERHEAD_LIMIT)} CPU time per login over the bare packages, on memory: ` +
      (overhead === null
        ? 'NOT MEASURED'
        : `${overheadMet ? 'MET' : 'NOT MET'} (${percent(overhead)}; by logins/s ${percent(wallOverhead ?? Number.NaN)})`),
  );
  return {
    title: `Service: full TOTP login (startLogin + verifyLogin), ${IN_FLIGHT} in flight, service vs bare packages`,
    columns: [
      'backend',
      'login',
      'logins/s',
      'p50 (ms)',
      'p99 (ms)',
      'CPU/login (µs)',
      'CPU vs bare',
      'trips: startLogin',
      'trips: verifyLogin, first',
      'trips: verifyLogin, warm',
    ],
    rows,
    notes: [
      ...verdicts,
      ...notes,
      ...callNotes.map((n) => `store calls of ${n}`),
      `method: per backend, ${IN_FLIGHT} users per login implementation, each with one authenticator app set up ` +
        'through the service (beginEnrollment, confirmEnrollment; selfService policy, so backup codes too); ' +
        'one login checked first (it succeeds, and its code sent again to a new login is refused as a replay); ' +
        `then ${WARMUP_MS} ms of warm-up each and ${ROUNDS} rounds of ${SAMPLE_MS} ms per implementation, ` +
        'the two alternating (the start rotated each round), with every user logging in again as soon as his ' +
        'last login is done. logins/s is the median of the rounds; latency is the whole login (startLogin, the ' +
        "app's code, verifyLogin).",
      'CPU/login: the CPU time of the bench process (user + system, all its threads: the service or the bare ' +
        'code, the drivers, PGlite, the garbage collector) over the logins of a round, median of the rounds; ' +
        "CPU vs bare is the service's over the bare one's, minus one. On memory that is the whole cost of a " +
        'login and moves much less than logins/s with the load other processes put on a shared machine, so ' +
        'the target is judged on it; on the servers it leaves out the server.',
      'bare packages (service-bare.ts): the same store calls and checks as the service (listed above) on ' +
        '@secondfactor/core, store and policy; the pending login kept as { userId, challengeId }, ids from ' +
        "randomUUID; it completes the login the way the service's warm verifyLogin was seen to (recordOtpUse, " +
        'deleteChallenge, appendAudit; or one completeLogin with the credential from a process cache).',
      'clock: injected; it moves to the next 30 s step of a user before his login when it is not there yet, so ' +
        'no code is ever a replay and a login in flight sees the time move by a few steps at most.',
      'round trips: counted one call at a time (one user after another, before the timed phase), as the change ' +
        'of the counting SqlClient (statements) or the counting ioredis `call` (commands) across the call; ' +
        "first = each user's first verifyLogin in the process, warm = the next ones; a range in brackets when " +
        'calls differed. 0 for memory (in process). Parallel reads (startLogin reads three records at once) ' +
        'count one each.',
    ],
    failed,
  };
}
