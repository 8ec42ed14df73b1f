/**
 * @module
 * Lua scripts of per-user settings, tenant lists, "who has 2FA" summaries and the admin reset.
 */

/** ARGV: user, json, tenant ('' = none). Moves the user between tenant indexes in the same step. */
export const PUT_USER_SETTINGS: string = `
local user, tenant = ARGV[1], ARGV[3]
local key = ukey(user, 'settings')
local previous = redis.call('HGET', key, 'tenant')
if previous and previous ~= tenant then redis.call('ZREM', tkey(previous, 'users'), user) end
redis.call('DEL', key)
redis.call('HSET', key, 'json', ARGV[2])
if tenant ~= '' then
  redis.call('HSET', key, 'tenant', tenant)
  -- Score 0 for all: ZRANGEBYLEX then pages through the users in byte order of their ids.
  redis.call('ZADD', tkey(tenant, 'users'), 0, user)
end
return 1
`;

/** ARGV: user. → the settings JSON, or nil. */
export const GET_USER_SETTINGS: string = `
return redis.call('HGET', ukey(ARGV[1], 'settings'), 'json')
`;

/** ARGV: tenant, after ('' = from the start), limit. → settings JSON of the tenant's users, by user id. */
export const LIST_USER_SETTINGS: string = `
local from = '-'
if ARGV[2] ~= '' then from = '(' .. ARGV[2] end
local out = {}
local users = redis.call('ZRANGEBYLEX', tkey(ARGV[1], 'users'), from, '+', 'LIMIT', 0, tonumber(ARGV[3]))
for _, user in ipairs(users) do
  local json = redis.call('HGET', ukey(user, 'settings'), 'json')
  if json then out[#out + 1] = json end
end
return out
`;

/** ARGV: users. → per user {credentials, backup codes remaining, kind of each credential…}. */
export const GET_TWO_FACTOR_SUMMARIES: string = `
local out = {}
for i, user in ipairs(ARGV) do
  local ids = redis.call('ZRANGE', ukey(user, 'credentials'), 0, -1)
  local row = {0, redis.call('SCARD', ukey(user, 'backup:codes'))}
  for _, id in ipairs(ids) do
    local kind = redis.call('HGET', rkey('cred', id), 'kind')
    if kind then
      row[1] = row[1] + 1
      row[#row + 1] = kind
    end
  end
  out[i] = row
end
return out
`;

/**
 * ARGV: user. → {credentials, backupCodes, pendingEnrollments, trustedDevices, challenges} removed, all
 * in one step (admin "Reset 2FA"). Settings and the audit trail stay.
 */
export const RESET_USER: string = `
local user = ARGV[1]
local credentials = 0
for _, id in ipairs(redis.call('ZRANGE', ukey(user, 'credentials'), 0, -1)) do
  credentials = credentials + remove_credential(user, id)
end
redis.call('DEL', ukey(user, 'credentials'))
local codes = ukey(user, 'backup:codes')
local backupCodes = redis.call('SCARD', codes)
redis.call('DEL', codes, ukey(user, 'backup:meta'))
local pending = remove_listed(user, 'pending', 'pending')
local devices = revoke_devices(user)
local challenges = remove_listed(user, 'challenges', 'challenge')
return {credentials, backupCodes, pending, devices, challenges}
`;
