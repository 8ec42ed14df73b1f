/**
 * @module
 * The backends of the storage bench (`store.ts`): memory, PGlite, PostgreSQL (`DATABASE_URL`) and Redis
 * (`REDIS_URL`), each with a count of the round trips it made, taken from a wrapper around the driver
 * (statements sent, commands sent). A server that does not answer is reported with the reason instead;
 * the bench's schema / key prefix is removed on close.
 */
import { randomBytes } from 'node:crypto';
import { MemoryStore, type SecondFactorStore } from '@secondfactor/store';
import { PostgresStore, pgClient, pgliteClient, type SqlClient } from '@secondfactor/store-postgres';

const CONNECT_TIMEOUT_MS = 2_000;
const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** A store under test, with the count of round trips it made so far (`null`: in process, none). */
export interface Backend {
  readonly name: string;
  readonly target?: 'postgres' | 'redis' | undefined;
  readonly store: SecondFactorStore;
  roundTrips(): number | null;
  close(): Promise<void>;
}

/** A {@link SqlClient} that counts the statements it forwards: one statement is one round trip. */
function countingSql(inner: SqlClient): { client: SqlClient; count: () => number } {
  let statements = 0;
  return {
    client: {
      query: (text, params) => {
        statements += 1;
        return inner.query(text, params);
      },
      transaction: (fn) => inner.transaction(fn),
    },
    count: () => statements,
  };
}

/** The memory store: in process, no round trips. */
export async function openMemory(): Promise<Backend> {
  const store = new MemoryStore();
  return { name: 'memory (MemoryStore)', store, roundTrips: () => null, close: () => store.close() };
}

/** PGlite in the bench process, in a schema of its own; its statements cost no network. */
export async function openPglite(): Promise<Backend> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite();
  const counted = countingSql(pgliteClient(db));
  const store = new PostgresStore(counted.client, { schema: 'sf_bench' });
  try {
    await store.migrate();
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    name: 'PGlite (in process)',
    target: 'postgres',
    store,
    roundTrips: counted.count,
    close: () => db.close(),
  };
}

/** A `pg` Pool of 16 connections on `DATABASE_URL`, in a fresh schema dropped on close; or why not. */
export async function openPostgres(): Promise<Backend | string> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: DATABASE_URL,
    max: 16,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    return `no PostgreSQL server answers at ${DATABASE_URL} (${(error as Error).message})`;
  }
  const schema = `sf_bench_${hex(6)}`;
  const counted = countingSql(pgClient(pool));
  const store = new PostgresStore(counted.client, { schema });
  const drop = async (): Promise<void> => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  };
  try {
    await store.migrate();
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return {
    name: 'PostgreSQL (pg Pool, 16 connections)',
    target: 'postgres',
    store,
    roundTrips: counted.count,
    close: drop,
  };
}

/** One ioredis connection on `REDIS_URL`, under a fresh key prefix deleted on close; or why not. */
export async function openRedis(): Promise<Backend | string> {
  const [{ Redis }, { RedisStore }] = await Promise.all([
    import('ioredis'),
    import('@secondfactor/store-redis'),
  ]);
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    return `no Redis server answers at ${REDIS_URL} (${(error as Error).message})`;
  }
  const prefix = `sf-bench:${hex(6)}:`;
  let commands = 0;
  // Every command the store sends goes through `call`: counting there counts round trips.
  const counting = {
    call: (command: string, ...args: (string | number)[]) => {
      commands += 1;
      return client.call(command, ...args);
    },
  };
  const removeKeys = async (): Promise<void> => {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.unlink(...keys);
    } while (cursor !== '0');
    await client.quit();
  };
  const redisStore = new RedisStore(counting, { prefix });
  try {
    await redisStore.loadScripts();
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return {
    name: 'Redis (ioredis, one connection)',
    target: 'redis',
    store: redisStore,
    roundTrips: () => commands,
    close: removeKeys,
  };
}
