/**
 * @module
 * The process layout of the HTTP benches: every server under test runs in a child process of its own
 * (`http-child.ts`), autocannon and the bench in this one, so each variant is measured alike and the load
 * generator never shares a process with a server. The two talk over the fork's IPC channel: the child
 * says where it listens (or why it cannot), then answers calls (enroll users, read its counters, close).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Which server a child runs. */
export type ServerConfig =
  /** Our adapter with a guarded and an unguarded route, on one 2FA store. */
  | { readonly kind: 'guard'; readonly backend: 'memory' | 'postgres' | 'redis' }
  /** Our adapter on PostgreSQL, the host's sessions in express-session's memory store or in PostgreSQL. */
  | { readonly kind: 'ours'; readonly sessions: 'memory' | 'postgres' }
  /** better-auth with its two-factor plugin on PostgreSQL. */
  | { readonly kind: 'better-auth' };

/** What a child sends first. */
export type Hello = { ready: string } | { skipped: string } | { failed: string };

interface Call {
  readonly id: number;
  readonly method: string;
  readonly arg: unknown;
}

interface Answer {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

/** A running server in its child process. */
export interface ServerProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  call<T>(method: string, arg?: unknown): Promise<T>;
  /** Asks the child to close its server and backend, and waits for it to exit. */
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./http-child.ts', import.meta.url));

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));

/** Starts `config` in a child process; a string says why it was skipped. Throws when it failed. */
export async function startServer(config: ServerConfig): Promise<ServerProcess | string> {
  // The child's stdout goes to our stderr: stdout carries the bench's tables only.
  const child = fork(CHILD, [JSON.stringify(config)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  const hello = await new Promise<Hello>((resolve) => {
    child.once('message', (message) => resolve(message as Hello));
    child.once('exit', (code) => resolve({ failed: `the server process exited (${code})` }));
  });
  if (!('ready' in hello)) {
    child.kill();
    await exited(child);
    if ('skipped' in hello) return hello.skipped;
    throw new Error(`${config.kind} server: ${hello.failed}`);
  }
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let next = 0;
  child.on('message', (message) => {
    const answer = message as Answer;
    const call = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (answer.error !== undefined) call?.reject(new Error(answer.error));
    else call?.resolve(answer.result);
  });
  child.once('exit', () => {
    for (const call of waiting.values()) call.reject(new Error('the server process exited'));
  });
  return {
    url: hello.ready,
    call: <T>(method: string, arg?: unknown) =>
      new Promise<T>((resolve, reject) => {
        const id = next++;
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id, method, arg } satisfies Call);
      }),
    close: async () => {
      const id = next++;
      child.send({ id, method: 'close', arg: undefined } satisfies Call);
      await exited(child);
    },
  };
}

/** A call a child answers. */
export type Handler = (arg: unknown) => unknown;

/** In the child: answers the parent's calls with `handlers`; `close` runs, then the process exits. */
export function serveCalls(handlers: Record<string, Handler>, close: () => Promise<void>): void {
  process.on('message', (message) => {
    const { id, method, arg } = message as Call;
    if (method === 'close') {
      close().finally(() => process.exit(0));
      return;
    }
    const handler = handlers[method];
    Promise.resolve()
      .then(() => {
        if (handler === undefined) throw new Error(`unknown call ${method}`);
        return handler(arg);
      })
      .then(
        (result) => process.send?.({ id, result } satisfies Answer),
        (error: unknown) =>
          process.send?.({ id, error: String((error as Error).stack ?? error) } satisfies Answer),
      );
  });
}
