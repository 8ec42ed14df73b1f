/**
 * @module
 * Lua scripts of backup-code sets: a Redis set of digests per user plus a small hash of set metadata,
 * both under the user's hash tag (checklist F3, F4, D4).
 */

/**
 * ARGV: user, now, salt ('' = none), onlyIfNone ('1'/'0'), then the digests. → 1 written, 0 refused.
 * F4: the old set dies in the step the new one is written. With onlyIfNone the script refuses when the
 * metadata hash exists: it outlives the last code (SREM deletes an empty set key, not the hash), so a
 * fully used set still counts, exactly as getBackupCodeSet reports it. One script, so no writer between.
 */
export const REPLACE_BACKUP_CODES: string = `
local codes, meta = ukey(ARGV[1], 'backup:codes'), ukey(ARGV[1], 'backup:meta')
if ARGV[4] == '1' and redis.call('EXISTS', meta) == 1 then return 0 end
redis.call('DEL', codes, meta)
redis.call('SADD', codes, unpack(ARGV, 5))
redis.call('HSET', meta, 'createdAt', ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', meta, 'salt', ARGV[3]) end
return 1
`;

/** ARGV: user. → {createdAt, salt, remaining}; createdAt is nil when the user has no set. */
export const GET_BACKUP_CODE_SET: string = `
local meta = redis.call('HMGET', ukey(ARGV[1], 'backup:meta'), 'createdAt', 'salt')
return {meta[1], meta[2], redis.call('SCARD', ukey(ARGV[1], 'backup:codes'))}
`;

/**
 * ARGV: user, digest. → {consumed (1/0), remaining}. SREM removes a member at most once, so exactly one
 * of concurrent callers with the same digest sees 1 (D4), and the count is taken in the same step.
 */
export const CONSUME_BACKUP_CODE: string = `
local codes = ukey(ARGV[1], 'backup:codes')
local consumed = redis.call('SREM', codes, ARGV[2])
return {consumed, redis.call('SCARD', codes)}
`;
