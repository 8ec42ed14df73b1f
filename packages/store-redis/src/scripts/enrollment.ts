/**
 * @module
 * Lua scripts of pending enrollments (server-side, bound to their user, expiring; checklist H1–H4).
 */

/**
 * ARGV: id, user, json, kind, secret, createdAt, expiresAt, retainMs. → 1, or 0 if the id is taken by a
 * pending enrollment or a credential (it becomes the credential's id on confirmation).
 */
export const CREATE_PENDING: string = `
local id, user = ARGV[1], ARGV[2]
local key = rkey('pending', id)
if redis.call('EXISTS', key) == 1 or redis.call('EXISTS', rkey('cred', id)) == 1 then return 0 end
redis.call('HSET', key, 'user', user, 'json', ARGV[3], 'kind', ARGV[4], 'createdAt', ARGV[6], 'expiresAt', ARGV[7])
if ARGV[5] ~= '' then redis.call('HSET', key, 'secret', ARGV[5]) end
-- The TTL runs from the record's own creation time, not from Redis time (clocks may be injected).
local life = ttl(tonumber(ARGV[7]), tonumber(ARGV[6]), tonumber(ARGV[8]))
redis.call('PEXPIRE', key, life)
local index = ukey(user, 'pending')
prune_set(index, 'pending')
redis.call('SADD', index, id)
extend(index, life)
return 1
`;

/** ARGV: user, id. → json, secret, createdAt, expiresAt; nil when missing or another user's. */
export const GET_PENDING: string = `
local key = rkey('pending', ARGV[2])
if not owned(key, ARGV[1]) then return nil end
return redis.call('HMGET', key, 'json', 'secret', 'createdAt', 'expiresAt')
`;

/**
 * ARGV: user, id, now, lastUsedStep ('' = none), then the ids of replaced credentials.
 * → {'ok', credential fields} | {'not_found'} | {'expired'} | {'conflict'}.
 * Exactly one of concurrent callers gets 'ok': the first deletes the pending record in this same step.
 */
export const CONFIRM_ENROLLMENT: string = `
local user, id, now = ARGV[1], ARGV[2], ARGV[3]
local key = rkey('pending', id)
local pending = redis.call('HMGET', key, 'user', 'json', 'kind', 'secret', 'expiresAt')
if pending[1] ~= user then return {'not_found'} end
if tonumber(now) >= tonumber(pending[5]) then return {'expired'} end
if redis.call('EXISTS', rkey('cred', id)) == 1 then return {'conflict'} end
redis.call('DEL', key)
redis.call('SREM', ukey(user, 'pending'), id)
-- H4: the replaced credentials of this user die in the same step the new one becomes active.
for i = 5, #ARGV do remove_credential(user, ARGV[i]) end
local lastUsedAt = ''
if ARGV[4] ~= '' then lastUsedAt = now end
put_credential(id, user, pending[2], pending[3], pending[4] or '', now, ARGV[4], '', lastUsedAt)
return {'ok', read_fields(rkey('cred', id), CREDENTIAL_FIELDS)}
`;

/** ARGV: user, id. → 1 if removed, 0 if there was none of this user. */
export const DELETE_PENDING: string = `
local key = rkey('pending', ARGV[2])
if not owned(key, ARGV[1]) then return 0 end
redis.call('DEL', key)
redis.call('SREM', ukey(ARGV[1], 'pending'), ARGV[2])
return 1
`;
