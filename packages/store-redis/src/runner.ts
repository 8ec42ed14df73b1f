/**
 * @module
 * Runs the adapter's Lua scripts: EVALSHA by the script's SHA-1, and EVAL (which also caches the
 * script) only when Redis answers NOSCRIPT, after a restart, a failover or `SCRIPT FLUSH`. A script is
 * thus sent in full once per server, and every later call is one EVALSHA: one round trip.
 */
import { createHash } from 'node:crypto';
import { isNoScript, storeError } from './errors';
import { REDIS_SCRIPTS, type ScriptName } from './scripts/index';

/**
 * What the adapter needs of a Redis client: the generic `call` of ioredis (`Redis#call`), which sends
 * one command and resolves with its reply. An ioredis `Redis` instance fits; a wrapper can count or
 * trace commands.
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
}

const SHAS: Readonly<Record<ScriptName, string>> = Object.fromEntries(
  Object.entries(REDIS_SCRIPTS).map(([name, lua]) => [name, createHash('sha1').update(lua).digest('hex')]),
) as Record<ScriptName, string>;

/**
 * Runs `name` with `KEYS[1] = prefix` and `args` as ARGV. Rejects with `SecondFactorError`
 * (`store_unavailable` or `internal`), never with a raw client error.
 */
export async function runScript(
  client: RedisLike,
  prefix: string,
  name: ScriptName,
  args: readonly string[],
): Promise<unknown> {
  try {
    return await client.call('EVALSHA', SHAS[name], 1, prefix, ...args);
  } catch (error) {
    if (!isNoScript(error)) throw storeError(error);
  }
  try {
    return await client.call('EVAL', REDIS_SCRIPTS[name], 1, prefix, ...args);
  } catch (error) {
    throw storeError(error);
  }
}

/**
 * Loads every script into the server's cache with `SCRIPT LOAD` (sent together, one round trip in all), so even the
 * first call of each is a single EVALSHA. Optional: the NOSCRIPT fallback covers a cold cache too.
 */
export async function loadScripts(client: RedisLike): Promise<void> {
  try {
    await Promise.all(Object.values(REDIS_SCRIPTS).map((lua) => client.call('SCRIPT', 'LOAD', lua)));
  } catch (error) {
    throw storeError(error);
  }
}
