/**
 * @module
 * Test helpers: a Redis client that fails fast when no server answers, a random key prefix per run, and
 * the raw view of every key under a prefix (the conformance suite's `dumpRaw`).
 */
import { Redis, type RedisCommander, type RedisOptions } from 'ioredis';

/** The client options the tests change. */
export type ClientOptions = Pick<
  RedisOptions,
  | 'retryStrategy'
  | 'maxRetriesPerRequest'
  | 'autoResendUnfulfilledCommands'
  | 'keyPrefix'
  | 'enableOfflineQueue'
>;

/** The server the tests use: `REDIS_URL`, else a local server on the default port if one answers. */
export const REDIS_URL: string = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A client that neither retries nor queues forever: ioredis' defaults (reconnect forever, 20 retries
 * per command) would keep a test process alive when the server is missing.
 */
export function newClient(options: ClientOptions = {}, url: string = REDIS_URL): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    ...options,
  });
  // Connection errors reach the caller as rejected commands; without a listener ioredis also prints them.
  client.on('error', (error: Error) => lastErrors.set(client, error));
  return client;
}

const lastErrors = new WeakMap<Redis, Error>();

/** A connected client (to `url`, the test server by default), or a rejection within about two seconds. */
export async function connectClient(options: ClientOptions = {}, url: string = REDIS_URL): Promise<Redis> {
  const client = newClient(options, url);
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw lastErrors.get(client) ?? error;
  }
  return client;
}

/** Why the Redis tests cannot run here (printed by the suite), or undefined when a server answers. */
export async function redisSkipReason(): Promise<string | undefined> {
  try {
    const client = await connectClient();
    await client.ping();
    await client.quit();
    return undefined;
  } catch (error) {
    return `no Redis server answers at ${REDIS_URL} (${(error as Error).message})`;
  }
}

/** A prefix no other run uses. */
export const randomPrefix = (): string =>
  `sf-test:${Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('')}:`;

/** Every key under `prefix`. */
export async function keysUnder(client: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return [...new Set(keys)].sort();
}

/** The value of one key, whatever its type (through a `Redis` or a `Cluster` client). */
export async function readKey(client: RedisCommander, key: string): Promise<unknown> {
  const type = await client.type(key);
  if (type === 'string') return client.get(key);
  if (type === 'hash') return client.hgetall(key);
  if (type === 'set') return (await client.smembers(key)).sort();
  if (type === 'zset') return client.zrange(key, '0', '-1', 'WITHSCORES');
  if (type === 'list') return client.lrange(key, 0, -1);
  return null;
}

/** All keys under `prefix` with their values, one JSON line per key. */
export async function dumpKeys(client: Redis, prefix: string): Promise<string> {
  const lines: string[] = [];
  for (const key of await keysUnder(client, prefix)) {
    lines.push(JSON.stringify([key, await readKey(client, key)]));
  }
  return lines.join('\n');
}

/** Deletes every key under `prefix`. */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(client, prefix);
  for (let i = 0; i < keys.length; i += 500) await client.unlink(...keys.slice(i, i + 500));
}
