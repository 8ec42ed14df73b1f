/**
 * @module
 * `@secondfactor/store-redis`: the secondfactor storage contract on Redis (a single node or a Redis
 * Cluster), every atomic primitive a Lua script.
 */
export { keyPart } from './key-part';
export { RedisStore, type RedisStoreOptions } from './redis-store';
export type { RedisLike } from './runner';
export { REDIS_SCRIPTS, type ScriptName } from './scripts/index';
