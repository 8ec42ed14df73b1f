/**
 * @module
 * Lua scripts of challenges: one hash per challenge, expiring by TTL, with the whole outcome of a code
 * submission decided in one script (checklist G2, G3, G4, G6, E1, E4, D5).
 */

/**
 * ARGV: id, user, json, digest ('' = none yet), createdAt, expiresAt, attempts, maxAttempts, deliveries,
 * consumedAt ('' = not consumed), retainMs. → 1, or 0 if the id exists.
 */
export const CREATE_CHALLENGE: string = `
local id, user = ARGV[1], ARGV[2]
local key = rkey('challenge', id)
if redis.call('EXISTS', key) == 1 then return 0 end
redis.call('HSET', key, 'user', user, 'json', ARGV[3], 'expiresAt', ARGV[6], 'attempts', ARGV[7],
  'maxAttempts', ARGV[8], 'deliveries', ARGV[9])
if ARGV[4] ~= '' then redis.call('HSET', key, 'digest', ARGV[4]) end
if ARGV[10] ~= '' then redis.call('HSET', key, 'consumedAt', ARGV[10]) end
local life = ttl(tonumber(ARGV[6]), tonumber(ARGV[5]), tonumber(ARGV[11]))
redis.call('PEXPIRE', key, life)
local index = ukey(user, 'challenges')
prune_set(index, 'challenge')
redis.call('SADD', index, id)
extend(index, life)
return 1
`;

/** ARGV: user, id. → the challenge fields, or nil when missing or another user's. */
export const GET_CHALLENGE: string = `
local key = rkey('challenge', ARGV[2])
if not owned(key, ARGV[1]) then return nil end
return read_fields(key, CHALLENGE_FIELDS)
`;

/**
 * ARGV: user, id, digest, now. → 'ok' | 'mismatch' | 'expired' | 'consumed' | 'locked' | 'not_found'.
 * The order of the checks is the contract's precedence; only 'ok' and 'mismatch' write.
 */
export const CONSUME_CHALLENGE: string = `
local key = rkey('challenge', ARGV[2])
local c = redis.call('HMGET', key, 'user', 'digest', 'expiresAt', 'attempts', 'maxAttempts', 'consumedAt')
if c[1] ~= ARGV[1] then return 'not_found' end
if c[6] then return 'consumed' end
local now = tonumber(ARGV[4])
if now >= tonumber(c[3]) then return 'expired' end
-- E1: past the limit even the right code is refused, so the answer is no oracle.
if tonumber(c[4]) >= tonumber(c[5]) then return 'locked' end
-- Keyed digests, not codes, are compared; a nil digest (nothing sent yet) matches nothing.
if c[2] and c[2] == ARGV[3] then
  redis.call('HSET', key, 'consumedAt', ARGV[4])
  return 'ok'
end
redis.call('HINCRBY', key, 'attempts', 1)
return 'mismatch'
`;

/**
 * ARGV: user, id, digest, expiresAt, now, retainMs. → the updated fields, or nil when the challenge is
 * unknown, another user's, consumed or expired. G6: the old digest is overwritten in this step; E4: the
 * attempts are kept.
 */
export const ROTATE_CHALLENGE: string = `
local key = rkey('challenge', ARGV[2])
local c = redis.call('HMGET', key, 'user', 'expiresAt', 'consumedAt')
if c[1] ~= ARGV[1] or c[3] or tonumber(ARGV[5]) >= tonumber(c[2]) then return nil end
redis.call('HSET', key, 'digest', ARGV[3], 'expiresAt', ARGV[4])
redis.call('HINCRBY', key, 'deliveries', 1)
local life = ttl(tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]))
redis.call('PEXPIRE', key, life)
extend(ukey(ARGV[1], 'challenges'), life)
return read_fields(key, CHALLENGE_FIELDS)
`;

/** ARGV: user, id. → 1 if removed, 0 if there was none of this user. */
export const DELETE_CHALLENGE: string = `
local key = rkey('challenge', ARGV[2])
if not owned(key, ARGV[1]) then return 0 end
redis.call('DEL', key)
redis.call('SREM', ukey(ARGV[1], 'challenges'), ARGV[2])
return 1
`;
