/**
 * @module
 * `raceAcrossProcesses`: forks worker processes, releases them together and collects what each one's
 * attempt returned. Adapters with `multiProcess: true` use it to race the same code from ≥ 4 processes.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The IPC protocol between {@link raceAcrossProcesses} and {@link raceWorker}.
 *
 * @example
 * ```ts
 * import type { RaceMessage } from '@secondfactor/store/testing';
 *
 * const go: RaceMessage = { type: 'go' }; // sent to every worker at once, after all reported 'ready'
 * ```
 */
export type RaceMessage =
  | { type: 'ready' }
  | { type: 'go' }
  | { type: 'result'; value: unknown }
  | { type: 'error'; message: string };

/**
 * Options of {@link raceAcrossProcesses}.
 *
 * @example
 * ```ts
 * import { type RaceAcrossProcessesOptions, raceAcrossProcesses } from '@secondfactor/store/testing';
 *
 * const options: RaceAcrossProcessesOptions = { workers: 4, script: 'test/race-worker.ts', args: { userId }, timeoutMs: 30_000 };
 * const results = await raceAcrossProcesses(options);
 * ```
 */
export interface RaceAcrossProcessesOptions {
  /** How many processes race. */
  workers: number;
  /** The worker script (TypeScript is fine: it runs under `node --import tsx`); it calls `raceWorker`. */
  script: string;
  /** JSON-serialisable arguments every worker receives. @default null */
  args?: unknown;
  /** The whole race, from fork to the last result; workers still running then are killed. @default 60000 */
  timeoutMs?: number | undefined;
  /**
   * Working directory of the workers. @default the nearest directory upwards from `process.cwd()` whose
   * package.json declares workspaces (the repo root, so tsx resolves `@secondfactor/*` through tsconfig paths)
   */
  cwd?: string | undefined;
}

function repoRoot(): string {
  let dir = process.cwd();
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && 'workspaces' in (JSON.parse(readFileSync(manifest, 'utf8')) as object))
      return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
  result: Promise<unknown>;
  exited: Promise<void>;
}

function start(index: number, script: string, args: string, cwd: string): Worker {
  const child = fork(script, [args, String(index)], {
    cwd,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'json',
  });
  let markReady: () => void = () => undefined;
  let settle: (outcome: { value: unknown } | { error: Error }) => void = () => undefined;
  const ready = new Promise<void>((resolveReady) => {
    markReady = resolveReady;
  });
  const outcome = new Promise<{ value: unknown } | { error: Error }>((resolveOutcome) => {
    settle = resolveOutcome;
  });
  child.on('message', (message: RaceMessage) => {
    if (message.type === 'ready') markReady();
    else if (message.type === 'result') settle({ value: message.value });
    else if (message.type === 'error') settle({ error: new Error(`worker ${index}: ${message.message}`) });
  });
  const exited = new Promise<void>((resolveExit) => {
    child.on('exit', (code, signal) => {
      settle({
        error: new Error(`worker ${index} exited (${signal ?? `code ${code}`}) before sending a result`),
      });
      resolveExit();
    });
    child.on('error', (error) => settle({ error }));
  });
  const result = outcome.then((item) => {
    if ('error' in item) throw item.error;
    return item.value;
  });
  // A worker that fails before "ready" must not leave the barrier waiting forever.
  const readyOrFailed = Promise.race([ready, result.then(() => undefined)]);
  return { child, ready: readyOrFailed, result, exited };
}

/**
 * Forks `workers` Node processes running `node --import tsx <script> <json args> <index>`, waits until
 * each one reports ready, sends all of them "go" in one loop, and resolves with each worker's result in
 * index order. Rejects (and kills every worker) if any worker fails or the race exceeds `timeoutMs`.
 *
 * @example
 * ```ts
 * import { raceAcrossProcesses } from '@secondfactor/store/testing';
 *
 * const results = await raceAcrossProcesses({
 *   workers: 4,
 *   script: 'packages/store-postgres/test/race-worker.ts',
 *   args: { userId, digest },
 * });
 * expect(results.filter((consumed) => consumed === true)).toHaveLength(1);
 * ```
 */
export async function raceAcrossProcesses(options: RaceAcrossProcessesOptions): Promise<unknown[]> {
  const { workers: count, script } = options;
  if (!Number.isInteger(count) || count < 1 || count > 64)
    throw new Error('workers must be an integer from 1 to 64');
  const cwd = options.cwd ?? repoRoot();
  const path = resolve(cwd, script);
  if (!existsSync(path)) throw new Error(`script not found: ${path}`);
  const args = JSON.stringify(options.args ?? null);
  const workers = Array.from({ length: count }, (_, index) => start(index, path, args, cwd));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`race did not finish within ${options.timeoutMs ?? 60_000} ms`)),
      options.timeoutMs ?? 60_000,
    );
  });
  let finished = false;
  try {
    await Promise.race([Promise.all(workers.map((worker) => worker.ready)), timeout]);
    // The barrier: nobody starts before everybody is ready, then all are released back to back.
    for (const worker of workers) worker.child.send({ type: 'go' } satisfies RaceMessage);
    const results = await Promise.race([Promise.all(workers.map((worker) => worker.result)), timeout]);
    finished = true;
    return results;
  } finally {
    clearTimeout(timer);
    // Workers that answered get a moment to close their connections; any other is killed.
    if (finished) await Promise.race([Promise.all(workers.map((worker) => worker.exited)), sleep(10_000)]);
    for (const worker of workers)
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms).unref());
