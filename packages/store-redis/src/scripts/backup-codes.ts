/**
 * @module
 * Lua scripts of backup-code sets (see `SecondFactorStore.replaceBackupCodes` and the methods after it):
 * the set `P{u:<user>}:backup:codes` of digests and the hash `P{u:<user>}:backup:meta`.
 */

/**
 * KEYS: user base. ARGV: now, salt ('' = none), onlyIfNone ('1'/'0'), then the digests. → 1 written, 0
 * refused. The old set dies in the step the new one is written. With onlyIfNone the script refuses when
 * the metadata hash exists: it outlives the last code (SREM deletes an empty set key, not the hash), so a
 * fully used set still counts, exactly as getBackupCodeSet reports it.
 */
export const REPLACE_BACKUP_CODES: string = `
local codes, meta = B .. 'backup:codes', B .. 'backup:meta'
if ARGV[3] == '1' and redis.call('EXISTS', meta) == 1 then return 0 end
redis.call('DEL', codes, meta)
redis.call('SADD', codes, unpack(ARGV, 4))
redis.call('HSET', meta, 'createdAt', ARGV[1])
if ARGV[2] ~= '' then redis.call('HSET', meta, 'salt', ARGV[2]) end
return 1
`;

/** KEYS: user base. → {createdAt, salt, remaining}; createdAt is nil when the user has no set. */
export const GET_BACKUP_CODE_SET: string = `
local meta = redis.call('HMGET', B .. 'backup:meta', 'createdAt', 'salt')
return {meta[1], meta[2], redis.call('SCARD', B .. 'backup:codes')}
`;

/**
 * KEYS: user base. ARGV: digest. → {consumed (1/0), remaining}. SREM removes a member at most once, so
 * exactly one of concurrent callers with the same digest sees 1, and the count is taken in the same step.
 */
export const CONSUME_BACKUP_CODE: string = `
local codes = B .. 'backup:codes'
local consumed = redis.call('SREM', codes, ARGV[1])
return {consumed, redis.call('SCARD', codes)}
`;
