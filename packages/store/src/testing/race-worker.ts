/**
 * @module
 * The worker side of {@link raceAcrossProcesses}: a script calls `raceWorker(attempt)`; it reports
 * ready, waits for the common "go", runs its attempt once and sends the JSON result back.
 */
import type { RaceMessage } from './race-processes';

/**
 * What a worker's attempt receives.
 *
 * @example
 * ```ts
 * import { type RaceWorkerContext, raceWorker } from '@secondfactor/store/testing';
 *
 * await raceWorker<{ tag: string }>({
 *   attempt: (_state, { args, index }: RaceWorkerContext<{ tag: string }>) => `${args.tag}-${index}`,
 * });
 * ```
 */
export interface RaceWorkerContext<A> {
  /** The `args` given to `raceAcrossProcesses` (the same for every worker). */
  args: A;
  /** This worker's index, 0 to `workers - 1`. */
  index: number;
}

/**
 * Runs `attempt` once in a worker forked by `raceAcrossProcesses`, after every worker is ready. Set up
 * (open connections, load scripts) in `prepare` so the race itself starts as close together as possible.
 *
 * @example
 * ```ts
 * // test/race-worker.ts, forked by raceAcrossProcesses
 * import { raceWorker } from '@secondfactor/store/testing';
 *
 * await raceWorker<{ userId: string; digest: string }>({
 *   prepare: async () => openMyStore(),
 *   attempt: async (store, { args }) => (await store.consumeBackupCode(args.userId, args.digest)).consumed,
 *   cleanup: (store) => store.close(),
 * });
 * ```
 */
export async function raceWorker<A = unknown, R = unknown, S = undefined>(worker: {
  prepare?: ((context: RaceWorkerContext<A>) => Promise<S> | S) | undefined;
  attempt: (state: S, context: RaceWorkerContext<A>) => Promise<R> | R;
  cleanup?: ((state: S) => Promise<void> | void) | undefined;
}): Promise<void> {
  const send = (message: RaceMessage): Promise<void> =>
    new Promise((resolve, reject) => {
      if (process.send === undefined)
        return reject(new Error('raceWorker must run in a process forked by raceAcrossProcesses'));
      process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
    });
  const context: RaceWorkerContext<A> = {
    args: JSON.parse(process.argv[2] ?? 'null') as A,
    index: Number(process.argv[3] ?? '0'),
  };
  let state: S | undefined;
  try {
    state = (await worker.prepare?.(context)) as S;
    const go = new Promise<void>((resolve) => {
      process.on('message', (message: RaceMessage) => {
        if (message?.type === 'go') resolve();
      });
    });
    await send({ type: 'ready' });
    await go;
    const value = await worker.attempt(state as S, context);
    await send({ type: 'result', value: JSON.parse(JSON.stringify(value ?? null)) as unknown });
  } catch (error) {
    await send({ type: 'error', message: error instanceof Error ? error.message : String(error) }).catch(
      () => undefined,
    );
  } finally {
    if (state !== undefined) await worker.cleanup?.(state as S);
    process.disconnect?.();
  }
}
