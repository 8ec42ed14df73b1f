/**
 * @module
 * The stores every service story runs on. Memory and PGlite always; PostgreSQL when `DATABASE_URL` is set
 * (a fresh schema per store, dropped on close) and Redis when `REDIS_URL` is set (a fresh key prefix per
 * store, its keys deleted on close). A server store whose variable is not set is skipped with the reason
 * in the suite's name, and the reason is printed once per test file that registers such suites.
 */
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { MemoryStore, type SecondFactorStore } from '@secondfactor/store';
import { PostgresStore } from '@secondfactor/store-postgres';
import { RedisStore } from '@secondfactor/store-redis';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';

/** Opens a fresh, empty store; its `close()` releases everything it opened (schema, keys, connections). */
export type OpenStore = () => Promise<SecondFactorStore>;

const DATABASE_URL = process.env.DATABASE_URL || undefined;
const REDIS_URL = process.env.REDIS_URL || undefined;
const CONNECT_TIMEOUT_MS = 2_000;

const suffix = (): string => randomBytes(6).toString('hex');

const open = new Set<() => Promise<void>>();

/**
 * `store` with a `close()` that also runs `release`, once however often it is called, and is remembered
 * until then so {@link closeOpenStores} can close what a test left open.
 */
function closing(store: SecondFactorStore, release: () => Promise<void>): SecondFactorStore {
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    open.delete(close);
    closed ??= store.close().finally(release);
    return closed;
  };
  open.add(close);
  return new Proxy(store, {
    get(target, key) {
      if (key === 'close') return close;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Closes every store a test of this file opened and did not close. */
export async function closeOpenStores(): Promise<void> {
  await Promise.all([...open].map((close) => close()));
}

async function openMemory(): Promise<SecondFactorStore> {
  return closing(new MemoryStore(), async () => undefined);
}

async function openPglite(): Promise<SecondFactorStore> {
  const db = new PGlite();
  const store = PostgresStore.fromPGlite(db);
  await store.migrate();
  return closing(store, () => db.close());
}

async function openPostgres(url: string): Promise<SecondFactorStore> {
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A backend terminated while idle must not crash the test process.
  pool.on('error', () => undefined);
  const schema = `sf_service_${suffix()}`;
  const release = async (): Promise<void> => {
    try {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await pool.end();
    }
  };
  const store = PostgresStore.fromPg(pool, { schema });
  try {
    await store.migrate();
  } catch (error) {
    await release().catch(() => undefined);
    throw error;
  }
  return closing(store, release);
}

async function openRedis(url: string): Promise<SecondFactorStore> {
  // No endless reconnects or queued commands: a missing server fails the test instead of hanging it.
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  await client.connect();
  const prefix = `sf-service:${suffix()}:`;
  const release = async (): Promise<void> => {
    try {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await client.unlink(...keys);
      } while (cursor !== '0');
    } finally {
      await client.quit();
    }
  };
  return closing(new RedisStore(client, { prefix }), release);
}

/** The stores a story runs on here: a name and a factory of a fresh, migrated store. */
export const STORES: ReadonlyArray<readonly [name: string, open: OpenStore]> = [
  ['memory', openMemory],
  ['pglite', openPglite],
  ...(DATABASE_URL === undefined
    ? []
    : [['postgres', () => openPostgres(DATABASE_URL)] as const satisfies readonly [string, OpenStore]]),
  ...(REDIS_URL === undefined
    ? []
    : [['redis', () => openRedis(REDIS_URL)] as const satisfies readonly [string, OpenStore]]),
];

/** The server stores left out here, with the reason. */
export const SKIPPED_STORES: ReadonlyArray<readonly [name: string, reason: string]> = [
  ...(DATABASE_URL === undefined
    ? [['postgres', 'DATABASE_URL is not set: no PostgreSQL server to run on'] as const]
    : []),
  ...(REDIS_URL === undefined ? [['redis', 'REDIS_URL is not set: no Redis server to run on'] as const] : []),
];

let printed = false;

/**
 * Registers `body` once per store of {@link STORES} as the suite "`title` on `name`", and one skipped
 * suite per store of {@link SKIPPED_STORES} with the reason in its name.
 */
export function describeEachStore(title: string, body: (openStore: OpenStore, name: string) => void): void {
  if (!printed) {
    printed = true;
    for (const [name, reason] of SKIPPED_STORES) console.info(`[service stories] ${name} skipped: ${reason}`);
  }
  for (const [name, openStore] of STORES) describe(`${title} on ${name}`, () => body(openStore, name));
  for (const [name, reason] of SKIPPED_STORES) {
    describe.skip(`${title} on ${name} (skipped: ${reason})`, () => {
      it('runs the story', () => undefined);
    });
  }
}

/**
 * Opens a fresh store from `openStore` before the first test of the calling suite and closes it after
 * the last one, passed or failed; the tests share it (each with users of its own). Returns the store.
 */
export function suiteStore(openStore: OpenStore): () => SecondFactorStore {
  let store: SecondFactorStore | undefined;
  beforeAll(async () => {
    store = await openStore();
  });
  afterAll(async () => {
    await store?.close();
    store = undefined;
  });
  return () => {
    if (store === undefined) throw new Error("suiteStore: the store is open during the suite's tests only");
    return store;
  };
}
