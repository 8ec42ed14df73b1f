/**
 * @module
 * The second step of a login over HTTP, ours against better-auth's, on one PostgreSQL server in one run:
 * `POST /2fa/login/verify` of `@secondfactor/express` (the host's sessions in express-session's memory
 * store, and again in PostgreSQL) and better-auth's `POST /api/auth/two-factor/verify-totp`, each server
 * in a child process of its own, autocannon in this one. Every request is a fresh pending login of its
 * own user (prepared before any timing, `http-verify-sides.ts`) with his current code, or a wrong one.
 * Statements are counted by the same wrapping pool on every side (`http-pg.ts`).
 */
import type { VerifyTrips } from './http-child';
import { send } from './http-client';
import { type LoadResult, load, median, merged, ms, percentile, statusList } from './http-load';
import { describeStatement } from './http-pg';
import { type ServerProcess, startServer } from './http-process';
import {
  type Build,
  betterAuthSide,
  CODES,
  type Code,
  EXPECTED,
  oursSide,
  type Side,
} from './http-verify-sides';
import { formatOps, formatRatio, type Table } from './table';

const QUICK = process.env.BENCH_QUICK === '1';
/** Issue 12: 16 connections; the p50 of one connection besides. */
const CONNECTIONS = 16;
const ROUNDS = QUICK ? 1 : 3;
/** Requests sent one at a time per side and code, before the timed runs, their statements counted. */
const COUNTED = 3;
/** Issue 12: at least 5× better-auth's requests/s, at most 3 round trips per verification. */
const RATIO_TARGET = 5;
const TRIPS_TARGET = 3;

/** What one side measured for one code. */
interface Measured {
  readonly runs: LoadResult[];
  /** Server CPU time per request of each round, µs: the app's process, and its database server processes. */
  readonly cpu: number[];
  readonly databaseCpu: number[];
  statements: number;
  session: number;
  requests: number;
  single: LoadResult | null;
  /** Statements of each request sent one at a time (all, and the host session store's). */
  readonly counted: number[];
  readonly countedSession: number[];
  /** The statements of the first of those. */
  log: string[];
}

/** A side's running server, its pending logins left, and what it measured. */
interface Running {
  readonly side: Side;
  readonly server: ServerProcess;
  logins: Record<Code, Build[]>;
  readonly measured: Record<Code, Measured>;
}

const newMeasured = (): Measured => ({
  runs: [],
  cpu: [],
  databaseCpu: [],
  statements: 0,
  session: 0,
  requests: 0,
  single: null,
  counted: [],
  countedSession: [],
  log: [],
});

/** The next `n` pending logins of `code`; each is used once. */
const take = (running: Running, code: Code, n: number): Build[] => running.logins[code].splice(0, n);

/** One autocannon run, one request per login of `builds`; folded into `into` unless `null`. */
async function timed(
  running: Running,
  code: Code,
  builds: Build[],
  connections: number,
  into: Measured | null,
): Promise<LoadResult> {
  const { server, side } = running;
  let next = 0;
  const cpuBefore = await server.call<number>('cpu');
  const before = await server.call<VerifyTrips>('trips');
  // Were autocannon to ask for more requests than logins, the last login would repeat and its refusal
  // would show in the statuses.
  const run = await load({
    url: server.url,
    path: side.path,
    method: 'POST',
    connections,
    amount: builds.length,
    build: () => (builds[next++] ?? builds[builds.length - 1]!)(),
  });
  const cpuAfter = await server.call<number>('cpu');
  const after = await server.call<VerifyTrips>('trips');
  if (run.errors > 0 || run.responses !== builds.length || run.statuses[EXPECTED[code]] !== run.responses) {
    throw new Error(`${side.name}, ${code} code: ${statusList(run.statuses)}, ${run.errors} errors`);
  }
  if (into !== null) {
    into.runs.push(run);
    into.cpu.push((cpuAfter - cpuBefore) / run.responses);
    if (after.databaseCpu !== null && before.databaseCpu !== null) {
      into.databaseCpu.push((after.databaseCpu - before.databaseCpu) / run.responses);
    }
    into.statements += after.statements - before.statements;
    into.session += after.session - before.session;
    into.requests += run.responses;
  }
  return run;
}

/** Requests one after another: the statements of each, the text of the first's, the outcome checked. */
async function countOneByOne(running: Running, code: Code, builds: Build[]): Promise<void> {
  const { server, side } = running;
  const into = running.measured[code];
  for (const [k, build] of builds.entries()) {
    const prepared = build();
    if (k === 0) await server.call('log');
    const before = await server.call<VerifyTrips>('trips');
    const reply = await send(`${server.url}${side.path}`, 'POST', prepared.headers, prepared.body);
    const after = await server.call<VerifyTrips>('trips');
    if (k === 0) into.log = await server.call<string[]>('unlog');
    if (reply.status !== EXPECTED[code]) {
      throw new Error(`${side.name}, ${code} code: ${reply.status} ${JSON.stringify(reply.body)}`);
    }
    await side.check(server, code, reply);
    into.counted.push(after.statements - before.statements);
    into.countedSession.push(after.session - before.session);
  }
}

/** Prepares every side, counts, warms up, then the interleaved rounds and the one-connection runs. */
async function measureAll(running: Running[]): Promise<void> {
  for (const r of running) {
    const { warmup, round, single } = r.side.sizes;
    const count = COUNTED + warmup + ROUNDS * round + single;
    const started = performance.now();
    r.logins = await r.side.prepare(r.server, count);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.error(`http-verify: ${2 * count} pending logins on ${r.side.name} prepared in ${seconds} s`);
  }
  for (const r of running) for (const code of CODES) await countOneByOne(r, code, take(r, code, COUNTED));
  for (const r of running) {
    for (const code of CODES) await timed(r, code, take(r, code, r.side.sizes.warmup), CONNECTIONS, null);
  }
  const pairs = running.flatMap((r) => CODES.map((code) => [r, code] as const));
  for (let round = 0; round < ROUNDS; round++) {
    for (let j = 0; j < pairs.length; j++) {
      const [r, code] = pairs[(j + round) % pairs.length]!;
      await timed(r, code, take(r, code, r.side.sizes.round), CONNECTIONS, r.measured[code]);
    }
  }
  for (const r of running) {
    for (const code of CODES) {
      r.measured[code].single = await timed(r, code, take(r, code, r.side.sizes.single), 1, null);
    }
  }
}

const perSecond = (m: Measured): number => median(m.runs.map((run) => run.perSecond));
const list = (values: readonly number[]): string =>
  Math.min(...values) === Math.max(...values) ? String(values[0]) : values.join(', ');
/** A side's own statements of one request (the host session store's left out), the most of those counted. */
const ownTrips = (m: Measured): number => Math.max(...m.counted.map((n, k) => n - m.countedSession[k]!));

/** The table: one row per side and code, the verdicts, what each side did, how it was measured. */
function tableOf(running: Running[]): Table {
  const theirs = running.find((r) => r.side.config.kind === 'better-auth')!;
  const ours = running.filter((r) => r !== theirs);
  const rows = running.flatMap((r) =>
    CODES.map((code) => {
      const m = r.measured[code];
      const latencies = merged(m.runs);
      return [
        r.side.name,
        code,
        formatOps(perSecond(m)),
        ms(percentile(latencies, 50)),
        ms(percentile(latencies, 99)),
        ms(percentile(m.single?.latencies ?? [], 50)),
        (m.statements / m.requests).toFixed(2),
        list(m.counted),
        list(m.countedSession),
        median(m.cpu).toFixed(0),
        m.databaseCpu.length === 0 ? '—' : median(m.databaseCpu).toFixed(0),
        r === theirs ? '—' : formatRatio(perSecond(m) / perSecond(theirs.measured[code])),
      ];
    }),
  );
  const verdicts = ours.flatMap((r) =>
    CODES.map((code) => {
      const ratio = perSecond(r.measured[code]) / perSecond(theirs.measured[code]);
      return { text: `${r.side.name}, ${code} code: ${formatRatio(ratio)}`, met: ratio >= RATIO_TARGET };
    }),
  );
  // Server-side CPU per request (the app and its database processes) moves much less than req/s with
  // the load other processes put on a shared machine: the same comparison, read off the CPU time.
  const cpuOf = (m: Measured): number =>
    median(m.cpu) + (m.databaseCpu.length === 0 ? 0 : median(m.databaseCpu));
  const cpuRatios = ours.flatMap((r) =>
    CODES.map(
      (code) =>
        `${r.side.name}, ${code} code: ${formatRatio(cpuOf(theirs.measured[code]) / cpuOf(r.measured[code]))}`,
    ),
  );
  const trips = ours.flatMap((r) => CODES.map((code) => ({ r, code, n: ownTrips(r.measured[code]) })));
  const tripsMet = trips.every((t) => t.n <= TRIPS_TARGET);
  const statementNotes = running.flatMap((r) =>
    CODES.map(
      (code) =>
        `${r.side.name}, ${code} code, the statements of one request: ` +
        r.measured[code].log.map((sql, k) => `(${k + 1}) ${describeStatement(sql)}`).join('; '),
    ),
  );
  return {
    title: `HTTP verify: POST /2fa/login/verify vs better-auth POST /two-factor/verify-totp, PostgreSQL, ${CONNECTIONS} connections`,
    columns: [
      'server',
      'code',
      'req/s',
      'p50 (ms)',
      'p99 (ms)',
      'p50, 1 conn (ms)',
      'statements/req',
      'statements, one at a time',
      'of them host session',
      'app CPU/req (µs)',
      'DB CPU/req (µs)',
      'vs better-auth',
    ],
    rows,
    notes: [
      `TARGET ≥ ${RATIO_TARGET}× better-auth's requests/s, right and wrong code: ` +
        verdicts.map((v) => `${v.text} ${v.met ? 'MET' : 'NOT MET'}`).join('; '),
      `TARGET ≤ ${TRIPS_TARGET} round trips per verification (our statements, the host's session store's left ` +
        `out, counted one request at a time): ${tripsMet ? 'MET' : 'NOT MET'} (` +
        trips.map((t) => `${t.r.side.name}, ${t.code} ${t.n}`).join('; ') +
        ')',
      `better-auth's server-side CPU per request (app + DB) over ours, the same comparison read off CPU time: ${cpuRatios.join('; ')}`,
      ...statementNotes,
      `method: each server in a child process (Express 5, one pg Pool of 16 connections, a schema of its own ` +
        `on the same database), autocannon in the bench process. Every request is a pending login of its own ` +
        `user, prepared before any timing; ${COUNTED} per side and code are sent one at a time first (statements ` +
        `counted, outcome checked: a right code signs in, a wrong one is refused); then a warm-up and ` +
        `${ROUNDS} round(s) of every side and code on ${CONNECTIONS} connections, interleaved (ours ` +
        `${ours[0]?.side.sizes.round} requests per run, better-auth ${theirs.side.sizes.round}); req/s is the ` +
        'median of the rounds, p50/p99 over their responses; then one run per side and code on one connection ' +
        '(p50, 1 conn). statements/req: all statements of the timed rounds over their requests.',
      "app CPU/req: user + system time of the server's Node process per request (median of the rounds); DB " +
        "CPU/req: the run time of the PostgreSQL server processes of its pool's connections (/proc/<pid>/schedstat) " +
        'per request. The bench process (autocannon) and PostgreSQL share the same 2 cores with the servers.',
    ],
    failed: verdicts.some((v) => !v.met) || !tripsMet,
  };
}

/** Runs every side in one run and returns the table. */
export async function httpVerifyBench(): Promise<Table> {
  const sides = [oursSide('memory'), oursSide('postgres'), betterAuthSide];
  const running: Running[] = [];
  try {
    for (const side of sides) {
      const server = await startServer(side.config);
      if (typeof server === 'string') {
        console.error(`http-verify bench skipped: ${server}`);
        return {
          title: 'HTTP verify',
          columns: ['server'],
          rows: [['skipped']],
          notes: [`skipped: ${server}`],
        };
      }
      const measured = { right: newMeasured(), wrong: newMeasured() };
      running.push({ side, server, logins: { right: [], wrong: [] }, measured });
    }
    await measureAll(running);
  } finally {
    await Promise.all(running.map((r) => r.server.close()));
  }
  return tableOf(running);
}
