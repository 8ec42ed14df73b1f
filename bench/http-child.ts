/**
 * @module
 * The server process of the HTTP benches (started by `http-process.ts`, never run by hand): it builds
 * the server its argument names, says where it listens, and answers the bench's calls — `enroll`
 * (users with an authenticator app, ours only), `trips` (round trips or statements so far), `log` /
 * `unlog` (the statements in between), `revoke` (bump a user's session epoch), `cpu` (its CPU time).
 */
import { PostgresStore, pgClient } from '@secondfactor/store-postgres';
import { startBetterAuthApp } from './http-better-auth-app';
import { enrollUsers, startOursApp } from './http-ours-app';
import { openCountingPool } from './http-pg';
import { type Handler, type Hello, type ServerConfig, serveCalls } from './http-process';
import { PgSessionStore } from './http-session-store';
import { type Backend, openMemory, openPostgres, openRedis } from './store-backends';

/** What the child serves: its address, its calls, and how to close it. */
interface Served {
  readonly url: string;
  readonly handlers: Record<string, Handler>;
  close(): Promise<void>;
}

/** The round trips a guard server's store made so far (`null`: in process, none), and the requests it saw. */
export interface GuardTrips {
  readonly roundTrips: number | null;
  readonly served: number;
}

/** The statements a verify server sent: all of them, and those of the host's session store. */
export interface VerifyTrips {
  readonly statements: number;
  readonly session: number;
  /** CPU time of its PostgreSQL server processes so far, µs (`null`: not readable). */
  readonly databaseCpu: number | null;
}

const cpu: Handler = () => {
  const used = process.cpuUsage();
  return used.user + used.system;
};

async function guardServer(backend: 'memory' | 'postgres' | 'redis'): Promise<Served | string> {
  const opened: Backend | string = await (backend === 'memory'
    ? openMemory()
    : backend === 'postgres'
      ? openPostgres()
      : openRedis());
  if (typeof opened === 'string') return opened;
  const app = await startOursApp(opened.store);
  return {
    url: app.url,
    handlers: {
      cpu,
      enroll: (count) => enrollUsers(app, count as number),
      trips: (): GuardTrips => ({ roundTrips: opened.roundTrips(), served: app.served() }),
      revoke: (userId) => opened.store.bumpSessionEpoch(userId as string),
    },
    close: async () => {
      await app.close();
      await opened.close();
    },
  };
}

async function oursServer(sessions: 'memory' | 'postgres'): Promise<Served | string> {
  const counted = await openCountingPool('sf_bench_http');
  if (typeof counted === 'string') return counted;
  const store = new PostgresStore(pgClient(counted.pool), { schema: counted.schema });
  await store.migrate();
  const sessionStore =
    sessions === 'postgres' ? await PgSessionStore.create(counted.pool, counted.schema) : null;
  const app = await startOursApp(store, sessionStore ?? undefined);
  return {
    url: app.url,
    handlers: {
      cpu,
      enroll: (count) => enrollUsers(app, count as number),
      trips: (): VerifyTrips => ({
        statements: counted.statements(),
        session: sessionStore?.statements ?? 0,
        databaseCpu: counted.serverCpu(),
      }),
      log: () => counted.startLog(),
      unlog: () => counted.stopLog(),
    },
    close: async () => {
      await app.close();
      await counted.close();
    },
  };
}

async function betterAuthServer(): Promise<Served | string> {
  const counted = await openCountingPool('ba_bench_http');
  if (typeof counted === 'string') return counted;
  const app = await startBetterAuthApp(counted.pool);
  return {
    url: app.url,
    handlers: {
      cpu,
      trips: (): VerifyTrips => ({
        statements: counted.statements(),
        session: 0,
        databaseCpu: counted.serverCpu(),
      }),
      log: () => counted.startLog(),
      unlog: () => counted.stopLog(),
    },
    close: async () => {
      await app.close();
      await counted.close();
    },
  };
}

const config = JSON.parse(process.argv[2] ?? '{}') as ServerConfig;
const say = (hello: Hello): void => {
  process.send?.(hello);
};
try {
  const served = await (config.kind === 'guard'
    ? guardServer(config.backend)
    : config.kind === 'ours'
      ? oursServer(config.sessions)
      : betterAuthServer());
  if (typeof served === 'string') {
    say({ skipped: served });
    process.disconnect();
  } else {
    serveCalls(served.handlers, () => served.close());
    say({ ready: served.url });
  }
} catch (error) {
  say({ failed: String((error as Error).stack ?? error) });
  process.exitCode = 1;
  process.disconnect();
}
