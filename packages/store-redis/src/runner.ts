/**
 * @module
 * Runs the adapter's Lua scripts: EVALSHA by the script's SHA-1, and EVAL (which also caches the
 * script) only when Redis answers NOSCRIPT, after a restart, a failover or `SCRIPT FLUSH`. A script is
 * thus sent in full once per server, and every later call is one EVALSHA: one round trip. On a cluster
 * the client routes both to the master of the slot of `KEYS[1]`, so the fallback caches the script on
 * the very node that lacked it.
 */
import { createHash } from 'node:crypto';
import { isNoScript, storeError } from './errors';
import { REDIS_SCRIPTS, type ScriptName } from './scripts/index';

/**
 * What the adapter needs of a Redis client: the generic `call` of ioredis (`Redis#call`, `Cluster#call`),
 * which sends one command and resolves with its reply, and for a Redis Cluster client `isCluster: true`
 * and `nodes('master')` (ioredis `Cluster#nodes`), so that `loadScripts` reaches every master. An ioredis
 * `Redis` or `Cluster` instance fits; a wrapper can count or trace commands.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { type RedisLike, RedisStore } from '@secondfactor/store-redis';
 *
 * const client = new Redis();
 * const traced: RedisLike = { call: (command, ...args) => (console.debug(command), client.call(command, ...args)) };
 * const store = new RedisStore(traced);
 * ```
 */
export interface RedisLike {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  /** `true` for a Redis Cluster client: the store then keeps each script within one hash slot. */
  readonly isCluster?: boolean | undefined;
  /** The cluster's nodes of one role (ioredis `Cluster#nodes`); required when `isCluster` is true. */
  nodes?(role: 'master'): RedisLike[];
}

const SHAS: Readonly<Record<ScriptName, string>> = Object.fromEntries(
  Object.entries(REDIS_SCRIPTS).map(([name, lua]) => [name, createHash('sha1').update(lua).digest('hex')]),
) as Record<ScriptName, string>;

/**
 * Runs `name` with `keys` as KEYS (the first names the slot) and `args` as ARGV. Rejects with
 * `SecondFactorError` (`store_unavailable` or `internal`), never with a raw client error.
 */
export async function runScript(
  client: RedisLike,
  name: ScriptName,
  keys: readonly string[],
  args: readonly string[],
): Promise<unknown> {
  try {
    return await client.call('EVALSHA', SHAS[name], keys.length, ...keys, ...args);
  } catch (error) {
    if (!isNoScript(error)) throw storeError(error);
  }
  try {
    return await client.call('EVAL', REDIS_SCRIPTS[name], keys.length, ...keys, ...args);
  } catch (error) {
    throw storeError(error);
  }
}

/**
 * Loads every script into the script cache with `SCRIPT LOAD` (sent together, one round trip in all): on
 * the server, or on every master of a cluster. Optional: the NOSCRIPT fallback covers a cold cache too.
 */
export async function loadScripts(client: RedisLike): Promise<void> {
  const servers = client.isCluster === true && client.nodes !== undefined ? client.nodes('master') : [client];
  try {
    await Promise.all(
      servers.flatMap((server) =>
        Object.values(REDIS_SCRIPTS).map((lua) => server.call('SCRIPT', 'LOAD', lua)),
      ),
    );
  } catch (error) {
    throw storeError(error);
  }
}
