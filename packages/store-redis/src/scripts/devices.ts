/**
 * @module
 * Lua scripts of trusted devices: one hash per device, expiring by TTL, and a per-user index from token
 * digest to device id for the lookup at login.
 */

/** ARGV: id, user, json, digest, createdAt, expiresAt, retainMs. → 'ok' | 'id' | 'digest' (what conflicts). */
export const ADD_TRUSTED_DEVICE: string = `
local id, user, digest = ARGV[1], ARGV[2], ARGV[4]
local key = rkey('device', id)
if redis.call('EXISTS', key) == 1 then return 'id' end
local index = ukey(user, 'devices')
local holder = redis.call('HGET', index, digest)
if holder and redis.call('EXISTS', rkey('device', holder)) == 1 then return 'digest' end
redis.call('HSET', key, 'user', user, 'json', ARGV[3], 'expiresAt', ARGV[6])
local life = ttl(tonumber(ARGV[6]), tonumber(ARGV[5]), tonumber(ARGV[7]))
redis.call('PEXPIRE', key, life)
-- Index entries of devices the TTL removed are dropped here, so the index stays small.
local entries = redis.call('HGETALL', index)
for i = 1, #entries, 2 do
  if redis.call('EXISTS', rkey('device', entries[i + 1])) == 0 then redis.call('HDEL', index, entries[i]) end
end
redis.call('HSET', index, digest, id)
extend(index, life)
return 'ok'
`;

/** ARGV: user, digest. → {json, expiresAt} of the user's device with this token digest, or nil. */
export const FIND_TRUSTED_DEVICE: string = `
local id = redis.call('HGET', ukey(ARGV[1], 'devices'), ARGV[2])
if not id then return nil end
local key = rkey('device', id)
if not owned(key, ARGV[1]) then return nil end
return redis.call('HMGET', key, 'json', 'expiresAt')
`;

/** ARGV: user. → how many devices were removed. */
export const REVOKE_TRUSTED_DEVICES: string = `
return revoke_devices(ARGV[1])
`;
