/**
 * @module
 * Lua scripts of challenges (see `SecondFactorStore.createChallenge` and the methods after it): the hash
 * `P{u:<user>}:challenge:<id>`, listed in the user's `challenges` set, expiring by TTL, with the whole
 * outcome of a code submission decided in one script.
 */

/**
 * KEYS: user base, [prefix (single node)]. ARGV: id, user, json, digest ('' = none yet), createdAt,
 * expiresAt, attempts, maxAttempts, deliveries, consumedAt ('' = not consumed), retainMs, kind. → 1, or
 * 0 if the id is taken. On a single node the id claim is written in the same step, with the record's
 * TTL. The kind has a field of its own besides the JSON part, for `completeLogin` to compare.
 */
export const CREATE_CHALLENGE: string = `
local root, id, user = KEYS[2], ARGV[1], ARGV[2]
local key = B .. 'challenge:' .. id
if redis.call('EXISTS', key) == 1 then return 0 end
local claim = root and id_key(root, 'challenge', id)
if claim and redis.call('EXISTS', claim) == 1 then return 0 end
redis.call('HSET', key, 'json', ARGV[3], 'kind', ARGV[12], 'expiresAt', ARGV[6], 'attempts', ARGV[7],
  'maxAttempts', ARGV[8], 'deliveries', ARGV[9])
if ARGV[4] ~= '' then redis.call('HSET', key, 'digest', ARGV[4]) end
if ARGV[10] ~= '' then redis.call('HSET', key, 'consumedAt', ARGV[10]) end
local life = ttl(tonumber(ARGV[6]), tonumber(ARGV[5]), tonumber(ARGV[11]))
redis.call('PEXPIRE', key, life)
if claim then redis.call('SET', claim, user, 'PX', life) end
prune_set(B, 'challenges', 'challenge')
redis.call('SADD', B .. 'challenges', id)
extend(B .. 'challenges', life)
return 1
`;

/** KEYS: user base. ARGV: id. → the challenge fields, or nil. */
export const GET_CHALLENGE: string = `
return read_record(B .. 'challenge:' .. ARGV[1], CHALLENGE_FIELDS)
`;

/**
 * KEYS: user base. ARGV: id, digest, now. → 'ok' | 'mismatch' | 'expired' | 'consumed' | 'locked' |
 * 'not_found'. The order of the checks is the contract's precedence; only 'ok' and 'mismatch' write.
 */
export const CONSUME_CHALLENGE: string = `
local key = B .. 'challenge:' .. ARGV[1]
local c = redis.call('HMGET', key, 'json', 'digest', 'expiresAt', 'attempts', 'maxAttempts', 'consumedAt')
if not c[1] then return 'not_found' end
if c[6] then return 'consumed' end
local now = tonumber(ARGV[3])
if now >= tonumber(c[3]) then return 'expired' end
-- E1: past the limit even the right code is refused, so the answer is no oracle.
if tonumber(c[4]) >= tonumber(c[5]) then return 'locked' end
-- Keyed digests, not codes, are compared; a nil digest (nothing sent yet) matches nothing.
if c[2] and c[2] == ARGV[2] then
  redis.call('HSET', key, 'consumedAt', ARGV[3])
  return 'ok'
end
redis.call('HINCRBY', key, 'attempts', 1)
return 'mismatch'
`;

/**
 * KEYS: user base, [prefix (single node)]. ARGV: id, digest, expiresAt, now, retainMs. → the updated
 * fields, or nil when the challenge is unknown, consumed or expired. G6: the old digest is overwritten in
 * this step; E4: the attempts are kept. The TTL moves to the new expiry (the claim's too on a single node;
 * on a cluster the adapter extends the claim after this script).
 */
export const ROTATE_CHALLENGE: string = `
local root, id = KEYS[2], ARGV[1]
local key = B .. 'challenge:' .. id
local c = redis.call('HMGET', key, 'json', 'expiresAt', 'consumedAt')
if not c[1] or c[3] or tonumber(ARGV[4]) >= tonumber(c[2]) then return nil end
redis.call('HSET', key, 'digest', ARGV[2], 'expiresAt', ARGV[3])
redis.call('HINCRBY', key, 'deliveries', 1)
local life = ttl(tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]))
redis.call('PEXPIRE', key, life)
if root then redis.call('PEXPIRE', id_key(root, 'challenge', id), life) end
extend(B .. 'challenges', life)
return read_fields(key, CHALLENGE_FIELDS)
`;

/** KEYS: user base, [prefix (single node)]. ARGV: id. → 1 if removed, 0 if the user had none. */
export const DELETE_CHALLENGE: string = `
local root, id = KEYS[2], ARGV[1]
if redis.call('DEL', B .. 'challenge:' .. id) == 0 then return 0 end
redis.call('SREM', B .. 'challenges', id)
if root then redis.call('DEL', id_key(root, 'challenge', id)) end
return 1
`;
