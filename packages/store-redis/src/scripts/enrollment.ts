/**
 * @module
 * Lua scripts of pending enrollments (see `SecondFactorStore.createPendingEnrollment` and the methods
 * after it): the hash `P{u:<user>}:pending:<id>`, listed in the user's `pending` set, expiring by TTL.
 */

/**
 * KEYS: user base, [prefix (single node)]. ARGV: id, user, json, kind, secret, createdAt, expiresAt,
 * retainMs, address tag ('' = no address). → 1, or 0 if the id is taken by a pending enrollment or a
 * credential (it becomes the credential's id on confirmation). On a single node the id claim is written
 * in the same step, with the record's TTL. The address tag is kept for the credential the confirmation
 * makes (a pending enrollment is in no address index).
 */
export const CREATE_PENDING: string = `
local root, id, user = KEYS[2], ARGV[1], ARGV[2]
if id_taken(B, id) then return 0 end
local claim = root and id_key(root, 'cred', id)
if claim and redis.call('EXISTS', claim) == 1 then return 0 end
local key = B .. 'pending:' .. id
redis.call('HSET', key, 'json', ARGV[3], 'kind', ARGV[4], 'createdAt', ARGV[6], 'expiresAt', ARGV[7])
if ARGV[5] ~= '' then redis.call('HSET', key, 'secret', ARGV[5]) end
if ARGV[9] ~= '' then redis.call('HSET', key, 'addressTag', ARGV[9]) end
-- The TTL runs from the record's own creation time, not from Redis time (clocks may be injected).
local life = ttl(tonumber(ARGV[7]), tonumber(ARGV[6]), tonumber(ARGV[8]))
redis.call('PEXPIRE', key, life)
if claim then redis.call('SET', claim, user, 'PX', life) end
prune_set(B, 'pending', 'pending')
redis.call('SADD', B .. 'pending', id)
extend(B .. 'pending', life)
return 1
`;

/** KEYS: user base. ARGV: id. → json, secret, createdAt, expiresAt; nil when missing. */
export const GET_PENDING: string = `
local values = redis.call('HMGET', B .. 'pending:' .. ARGV[1], 'json', 'secret', 'createdAt', 'expiresAt')
if not values[1] then return nil end
return values
`;

/**
 * KEYS: user base, [prefix (single node)]. ARGV: user, id, now, lastUsedStep ('' = none), then the ids of
 * replaced credentials. → {'ok', credential fields, ids of the replaced credentials removed, their
 * address tags} | {'not_found'} | {'expired'} | {'conflict'}. The first caller deletes the pending record
 * in this step, so every later one gets 'not_found'. On a single node the claim becomes permanent and
 * the otp and address indexes are updated in the same step; on a cluster the adapter did both before
 * (and removes the replaced credentials' entries after).
 */
export const CONFIRM_ENROLLMENT: string = `
local root, user, id, now = KEYS[2], ARGV[1], ARGV[2], ARGV[3]
local key = B .. 'pending:' .. id
local pending = redis.call('HMGET', key, 'json', 'kind', 'secret', 'expiresAt', 'addressTag')
if not pending[1] then return {'not_found'} end
if tonumber(now) >= tonumber(pending[4]) then return {'expired'} end
if redis.call('EXISTS', B .. 'cred:' .. id) == 1 then return {'conflict'} end
redis.call('DEL', key)
redis.call('SREM', B .. 'pending', id)
-- H4: the replaced credentials of this user die in the same step the new one becomes active.
local removed, tags = {}, {}
for i = 5, #ARGV do
  local tag = remove_credential(B, ARGV[i])
  if tag then
    removed[#removed + 1] = ARGV[i]
    tags[#tags + 1] = tag
    if root then release_credential(root, ARGV[i], user, tag) end
  end
end
local lastUsedAt = ''
if ARGV[4] ~= '' then lastUsedAt = now end
-- A new credential is switched on.
local tag = pending[5] or ''
put_credential(B, id, pending[1], pending[2], pending[3] or '', now, ARGV[4], '', lastUsedAt, '', tag)
if root then
  redis.call('PERSIST', id_key(root, 'cred', id))
  if pending[3] then redis.call('ZADD', otp_index(root), 0, otp_member(id, user)) end
  if tag ~= '' then redis.call('ZADD', address_index(root, tag), 0, holder_member(user, id)) end
end
return {'ok', read_fields(B .. 'cred:' .. id, CREDENTIAL_FIELDS), removed, tags}
`;

/** KEYS: user base, [prefix (single node)]. ARGV: user, id. → 1 if removed, 0 if the user had none. */
export const DELETE_PENDING: string = `
local root, id = KEYS[2], ARGV[2]
if redis.call('DEL', B .. 'pending:' .. id) == 0 then return 0 end
redis.call('SREM', B .. 'pending', id)
if root then redis.call('DEL', id_key(root, 'cred', id)) end
return 1
`;
