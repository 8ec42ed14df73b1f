/**
 * @module
 * Lua scripts of trusted devices (see `SecondFactorStore.addTrustedDevice` and the methods after it): the
 * hash `P{u:<user>}:device:<id>`, expiring by TTL, and the user's index `devices` from token digest to
 * device id for the lookup at login.
 */

/**
 * KEYS: user base, [prefix (single node)]. ARGV: id, user, json, digest, createdAt, expiresAt, retainMs.
 * → 'ok' | 'id' | 'digest' (what conflicts). On a single node the id claim is written in the same step.
 */
export const ADD_TRUSTED_DEVICE: string = `
local root, id, user, digest = KEYS[2], ARGV[1], ARGV[2], ARGV[4]
local key = B .. 'device:' .. id
if redis.call('EXISTS', key) == 1 then return 'id' end
local claim = root and id_key(root, 'device', id)
if claim and redis.call('EXISTS', claim) == 1 then return 'id' end
local index = B .. 'devices'
local holder = redis.call('HGET', index, digest)
if holder and redis.call('EXISTS', B .. 'device:' .. holder) == 1 then return 'digest' end
redis.call('HSET', key, 'json', ARGV[3], 'expiresAt', ARGV[6])
local life = ttl(tonumber(ARGV[6]), tonumber(ARGV[5]), tonumber(ARGV[7]))
redis.call('PEXPIRE', key, life)
if claim then redis.call('SET', claim, user, 'PX', life) end
-- Index entries of devices the TTL removed are dropped here, so the index stays small.
local entries = redis.call('HGETALL', index)
for i = 1, #entries, 2 do
  if redis.call('EXISTS', B .. 'device:' .. entries[i + 1]) == 0 then redis.call('HDEL', index, entries[i]) end
end
redis.call('HSET', index, digest, id)
extend(index, life)
return 'ok'
`;

/** KEYS: user base. ARGV: digest. → {json, expiresAt} of the user's device with this token digest, or nil. */
export const FIND_TRUSTED_DEVICE: string = `
local id = redis.call('HGET', B .. 'devices', ARGV[1])
if not id then return nil end
local device = redis.call('HMGET', B .. 'device:' .. id, 'json', 'expiresAt')
if not device[1] then return nil end
return device
`;

/**
 * KEYS: user base, [prefix (single node)]. → {how many devices were removed, their ids}. On a single node
 * their claims go in the same step; on a cluster the adapter releases them after this script.
 */
export const REVOKE_TRUSTED_DEVICES: string = `
local root = KEYS[2]
local removed = {}
local count = revoke_devices(B, removed)
if root then
  for _, id in ipairs(removed) do redis.call('DEL', id_key(root, 'device', id)) end
end
return {count, removed}
`;
