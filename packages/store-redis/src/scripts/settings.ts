/**
 * @module
 * Lua scripts of user settings, the tenant lists of users and "who has 2FA" summaries.
 */

/**
 * KEYS: user base, [prefix (single node)]. ARGV: user, json, tenant ('' = none). → the previous tenant
 * ('' = none). On a single node the user moves between tenant indexes in the same step; on a cluster
 * the adapter adds the new entry before this script and removes the old one after it (README).
 */
export const PUT_USER_SETTINGS: string = `
local root, user, tenant = KEYS[2], ARGV[1], ARGV[3]
local key = B .. 'settings'
local previous = redis.call('HGET', key, 'tenant') or ''
redis.call('DEL', key)
redis.call('HSET', key, 'json', ARGV[2])
if tenant ~= '' then redis.call('HSET', key, 'tenant', tenant) end
if root then
  if previous ~= '' and previous ~= tenant then
    redis.call('ZREM', tenant_base(root, previous) .. 'users', user)
  end
  -- Score 0 for all: ZRANGEBYLEX then pages through the users in byte order of their ids.
  if tenant ~= '' then redis.call('ZADD', tenant_base(root, tenant) .. 'users', 0, user) end
end
return previous
`;

/** KEYS: user base. → the settings JSON, or nil. */
export const GET_USER_SETTINGS: string = `
return redis.call('HGET', B .. 'settings', 'json')
`;

/**
 * KEYS: tenant base, prefix (single node only). ARGV: from (a ZRANGEBYLEX bound), limit. → settings JSON
 * of the tenant's users, by user id, read in the same step as the index.
 */
export const LIST_USER_SETTINGS: string = `
local root = KEYS[2]
local out = {}
for _, user in ipairs(redis.call('ZRANGEBYLEX', B .. 'users', ARGV[1], '+', 'LIMIT', 0, tonumber(ARGV[2]))) do
  local json = redis.call('HGET', user_base(root, user) .. 'settings', 'json')
  if json then out[#out + 1] = json end
end
return out
`;

/**
 * KEYS: user bases (all users on a single node; one user per call on a cluster). → per user
 * {credentials, backup codes remaining, kind of each credential…}.
 */
export const GET_TWO_FACTOR_SUMMARIES: string = `
local out = {}
for i, base in ipairs(KEYS) do
  local row = {0, redis.call('SCARD', base .. 'backup:codes')}
  for _, id in ipairs(redis.call('ZRANGE', base .. 'credentials', 0, -1)) do
    local kind = redis.call('HGET', base .. 'cred:' .. id, 'kind')
    if kind then
      row[1] = row[1] + 1
      row[#row + 1] = kind
    end
  end
  out[i] = row
end
return out
`;
