/**
 * @module
 * The Lua text every script starts with: the key names and the helpers several scripts share.
 */
import { MAX_TIME } from '@secondfactor/store';
import { CHALLENGE_FIELDS, CREDENTIAL_FIELDS, FAILURE_FIELDS, SETTINGS_FIELDS } from '../fields';

const luaList = (names: readonly string[]): string => `{${names.map((name) => `'${name}'`).join(', ')}}`;

/**
 * Prepended to every script. `KEYS[1]` names the script's slot: the base `P{u:<user>}:` of one user's
 * keys (or of a tenant's, or of the audit log), or the one key the script works on. Keys under a base
 * are named here by suffix, so they carry its hash tag and lie in its slot. A script that maintains
 * structures of other slots in the same step (tenant indexes, id claims, the otp index, the audit
 * indexes, attempt counters) gets the prefix as `KEYS[2]`, and only on a single node; on a cluster the
 * adapter runs those parts as scripts of their own (see the README). The name builders below mirror
 * `keyNames` in `keys.ts`. Every id reaching a script was escaped with `keyPart` (no `{`, `}`, `:` or
 * space in it).
 */
export const PREAMBLE: string = `
local B = KEYS[1]

local function user_base(root, user) return root .. '{u:' .. user .. '}:' end
local function tenant_base(root, tenant) return root .. '{t:' .. tenant .. '}:' end
local function counter_key(root, key) return root .. '{f:' .. key .. '}' end
local function id_key(root, kind, id) return root .. '{id:' .. kind .. ':' .. id .. '}' end
local function otp_index(root) return root .. '{otp}:credentials' end
local function otp_member(id, user) return id .. ' ' .. user end
local function audit_base(root) return root .. '{audit}:' end
local function address_index(root, tag) return root .. '{addr:' .. tag .. '}' end
local function holder_member(user, id) return user .. ' ' .. id end

-- Lua numbers are doubles: exact for the safe integers the store accepts (times, steps, counters), but
-- tostring() prints 14 significant digits only, so numbers are written back with %.0f.
local function int(n) return string.format('%.0f', n) end

-- The latest time the contract stores (9999-12-31 in Unix ms): no window or lock ends after it.
local MAX_TIME = ${MAX_TIME}

-- A key's time to live in Redis milliseconds: until 'ends' on the caller's injected clock 'now', plus the
-- retention margin. The logic never relies on it (every script compares times with the 'now' it is
-- given); the TTL only collects garbage, late enough that no answer at the injected time changes.
local function ttl(ends, now, retain)
  local left = ends - now
  if left < 0 then left = 0 end
  return int(left + retain)
end

-- Keeps an index alive at least as long as the record it now points to (-1, no TTL yet, is below any).
local function extend(key, ms)
  if redis.call('PTTL', key) < tonumber(ms) then redis.call('PEXPIRE', key, ms) end
end

-- Drops members of the user's set index whose record the TTL removed, so indexes stay small.
local function prune_set(base, index, kind)
  for _, id in ipairs(redis.call('SMEMBERS', base .. index)) do
    if redis.call('EXISTS', base .. kind .. ':' .. id) == 0 then redis.call('SREM', base .. index, id) end
  end
end

local CREDENTIAL_FIELDS = ${luaList(CREDENTIAL_FIELDS)}
local CHALLENGE_FIELDS = ${luaList(CHALLENGE_FIELDS)}
local FAILURE_FIELDS = ${luaList(FAILURE_FIELDS)}
local SETTINGS_FIELDS = ${luaList(SETTINGS_FIELDS)}

-- Absent fields come back as false, which Redis replies as nil: the reader sees "undefined".
local function read_fields(key, fields) return redis.call('HMGET', key, unpack(fields)) end

-- The fields of a record hash, or nil when there is none ('json' is written with every record).
local function read_record(key, fields)
  local values = read_fields(key, fields)
  if not values[1] then return nil end
  return values
end

-- An id of the user's credentials and pending enrollments: one id space, since confirmation keeps the id.
local function id_taken(base, id)
  return redis.call('EXISTS', base .. 'cred:' .. id, base .. 'pending:' .. id) > 0
end

-- Forgets an attempt counter whole (count, lock and the lockout count behind the backoff). The one way
-- every script clears a counter, so 'clear in recordOtpUse' and 'clearFailures' cannot drift apart.
local function clear_counter(key) redis.call('DEL', key) end

-- A counter locked at 'now' (the test readFailureState makes).
local function locked(key, now)
  local lockedUntil = redis.call('HGET', key, 'lockedUntil')
  return lockedUntil ~= false and now < tonumber(lockedUntil)
end

-- Writes a credential and its entry in the user's index. '' stands for an absent optional field.
-- 'addressTag' names the address index that lists the credential ('' for one without an address), so
-- that every script that removes it finds that entry without the address.
local function put_credential(base, id, json, kind, secret, createdAt, lastUsedStep, driftSteps, lastUsedAt,
                              switchedOffAt, addressTag)
  local key = base .. 'cred:' .. id
  redis.call('HSET', key, 'json', json, 'kind', kind, 'createdAt', createdAt)
  if secret ~= '' then redis.call('HSET', key, 'secret', secret) end
  if lastUsedStep ~= '' then redis.call('HSET', key, 'lastUsedStep', lastUsedStep) end
  if driftSteps ~= '' then redis.call('HSET', key, 'driftSteps', driftSteps) end
  if lastUsedAt ~= '' then redis.call('HSET', key, 'lastUsedAt', lastUsedAt) end
  if switchedOffAt ~= '' then redis.call('HSET', key, 'switchedOffAt', switchedOffAt) end
  if addressTag ~= '' then redis.call('HSET', key, 'addressTag', addressTag) end
  -- Listed by creation time, then id (members with equal scores sort bytewise).
  redis.call('ZADD', base .. 'credentials', createdAt, id)
end

-- Removes a credential of the user with its index entry and any use in flight. Returns the tag of its
-- address index ('' when it has none), or false when the user had no such credential.
local function remove_credential(base, id)
  local key = base .. 'cred:' .. id
  local tag = redis.call('HGET', key, 'addressTag') or ''
  if redis.call('DEL', key) == 0 then return false end
  redis.call('DEL', base .. 'use:' .. id)
  redis.call('ZREM', base .. 'credentials', id)
  return tag
end

-- Single node: the id claim, the otp index entry and the address index entry of a removed credential go
-- in the same step.
local function release_credential(root, id, user, tag)
  redis.call('DEL', id_key(root, 'cred', id))
  redis.call('ZREM', otp_index(root), otp_member(id, user))
  if tag ~= '' then redis.call('ZREM', address_index(root, tag), holder_member(user, id)) end
end

-- Removes every record of 'kind' listed in the user's set index, and the index; appends the removed
-- ids to 'removed' and returns how many there were.
local function remove_listed(base, index, kind, removed)
  local count = 0
  for _, id in ipairs(redis.call('SMEMBERS', base .. index)) do
    if redis.call('DEL', base .. kind .. ':' .. id) == 1 then
      count = count + 1
      removed[#removed + 1] = id
    end
  end
  redis.call('DEL', base .. index)
  return count
end

-- Removes every trusted device of the user and the digest index; appends the removed ids to 'removed'.
local function revoke_devices(base, removed)
  local index = base .. 'devices'
  local entries = redis.call('HGETALL', index)
  local count = 0
  for i = 2, #entries, 2 do
    if redis.call('DEL', base .. 'device:' .. entries[i]) == 1 then
      count = count + 1
      removed[#removed + 1] = entries[i]
    end
  end
  redis.call('DEL', index)
  return count
end
`;
