/**
 * @module
 * Lua scripts of user settings, the tenant lists of users and "who has 2FA" summaries. The settings of a
 * user are the hash `P{u:<user>}:settings`: `json` (the record as JavaScript wrote it), `tenant` (the
 * tenant as escaped in key names, for the tenant lists) and the fields an update changed since
 * (`SETTINGS_FIELDS`), which scripts write and never parse.
 */

// Single node: moves the user from the list of the previous tenant to that of the new one ('' = none).
const MOVE_TENANT = `
local function move_tenant(root, user, previous, tenant)
  if previous ~= '' and previous ~= tenant then
    redis.call('ZREM', tenant_base(root, previous) .. 'users', user)
  end
  -- Score 0 for all: ZRANGEBYLEX then pages through the users in byte order of their ids.
  if tenant ~= '' then redis.call('ZADD', tenant_base(root, tenant) .. 'users', 0, user) end
end
`;

/**
 * KEYS: user base, [prefix (single node)]. ARGV: user, json, tenant ('' = none). → the previous tenant
 * ('' = none). On a single node the user moves between tenant indexes in the same step; on a cluster
 * the adapter adds the new entry before this script and removes the old one after it (README).
 */
export const PUT_USER_SETTINGS: string = `${MOVE_TENANT}
local root, user, tenant = KEYS[2], ARGV[1], ARGV[3]
local key = B .. 'settings'
local previous = redis.call('HGET', key, 'tenant') or ''
-- The whole record is replaced: fields an earlier update wrote go with it.
redis.call('DEL', key)
redis.call('HSET', key, 'json', ARGV[2])
if tenant ~= '' then redis.call('HSET', key, 'tenant', tenant) end
if root then move_tenant(root, user, previous, tenant) end
return previous
`;

/**
 * KEYS: user base, [prefix (single node)]. ARGV: user, tenant ('' = keep), the JSON of the record to
 * create when the user has none (the patch already applied), then field/value pairs of the patch
 * (`SETTINGS_FIELDS`, each a JSON value; `updatedAt` always, `tenantId` when given). → {previous tenant
 * ('' = none), the settings fields after the update}. One step: concurrent updates of different fields
 * all land. The tenant lists as in PUT_USER_SETTINGS.
 */
export const UPDATE_USER_SETTINGS: string = `${MOVE_TENANT}
local root, user, tenant = KEYS[2], ARGV[1], ARGV[2]
local key = B .. 'settings'
local previous = redis.call('HGET', key, 'tenant') or ''
if redis.call('EXISTS', key) == 0 then
  redis.call('HSET', key, 'json', ARGV[3])
else
  redis.call('HSET', key, unpack(ARGV, 4))
end
-- An update that names no tenant keeps the user's, and the lists stay as they are.
if tenant ~= '' then
  redis.call('HSET', key, 'tenant', tenant)
  if root then move_tenant(root, user, previous, tenant) end
end
return {previous, read_fields(key, SETTINGS_FIELDS)}
`;

/** KEYS: user base. → the settings fields, or nil. */
export const GET_USER_SETTINGS: string = `
return read_record(B .. 'settings', SETTINGS_FIELDS)
`;

/**
 * KEYS: tenant base, prefix (single node only). ARGV: from (a ZRANGEBYLEX bound), limit. → the settings
 * fields of the tenant's users, by user id, read in the same step as the index.
 */
export const LIST_USER_SETTINGS: string = `
local root = KEYS[2]
local out = {}
for _, user in ipairs(redis.call('ZRANGEBYLEX', B .. 'users', ARGV[1], '+', 'LIMIT', 0, tonumber(ARGV[2]))) do
  local fields = read_record(user_base(root, user) .. 'settings', SETTINGS_FIELDS)
  if fields then out[#out + 1] = fields end
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
    local kind, off = unpack(redis.call('HMGET', base .. 'cred:' .. id, 'kind', 'switchedOffAt'))
    if kind then
      row[1] = row[1] + 1
      -- A switched-off device is not "2FA on": counted, but its kind is no method.
      if not off then row[#row + 1] = kind end
    end
  end
  out[i] = row
end
return out
`;
