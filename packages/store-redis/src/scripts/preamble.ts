/**
 * @module
 * The Lua text every script starts with: the key layout and the helpers several scripts share. The layout
 * lives here only, so JavaScript never builds a key name itself and the two can never disagree.
 */
import { MAX_TIME } from '@secondfactor/store';
import { CHALLENGE_FIELDS, CREDENTIAL_FIELDS, FAILURE_FIELDS } from '../fields';

const luaList = (names: readonly string[]): string => `{${names.map((name) => `'${name}'`).join(', ')}}`;

/**
 * Prepended to every script. `KEYS[1]` is the key prefix itself, passed as a key so that a client-level
 * `keyPrefix` of ioredis applies to it as well; every other key name is built from it and from ids that
 * `keyPart` already escaped (so they hold no `{`, `}` or `:`).
 *
 * Layout (P = prefix, U = user id, T = tenant id, I = record id, all escaped):
 * - `P{u:U}:…` the keys of one user (settings, indexes, backup codes, audit index) share one hash tag;
 * - `P{t:T}:…` tenant indexes;
 * - `P<kind>:I` records whose ids are unique across users (`cred`, `pending`, `challenge`, `device`,
 *   `failures`), and the global indexes `Potp-credentials` and `Paudit:*`.
 */
export const PREAMBLE: string = `
local P = KEYS[1]
local function ukey(user, what) return P .. '{u:' .. user .. '}:' .. what end
local function tkey(tenant, what) return P .. '{t:' .. tenant .. '}:' .. what end
local function rkey(kind, id) return P .. kind .. ':' .. id end

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

-- Drops index members whose record the TTL removed since they were added, so indexes stay small.
local function prune_set(index, kind)
  for _, id in ipairs(redis.call('SMEMBERS', index)) do
    if redis.call('EXISTS', rkey(kind, id)) == 0 then redis.call('SREM', index, id) end
  end
end

local CREDENTIAL_FIELDS = ${luaList(CREDENTIAL_FIELDS)}
local CHALLENGE_FIELDS = ${luaList(CHALLENGE_FIELDS)}
local FAILURE_FIELDS = ${luaList(FAILURE_FIELDS)}

-- Absent fields come back as false, which Redis replies as nil: the reader sees "undefined".
local function read_fields(key, fields) return redis.call('HMGET', key, unpack(fields)) end

-- An attempt counter as count, windowEndsAt, lockedUntil, lockouts (all nil for a key never seen).
local function read_failures(key) return read_fields(rkey('failures', key), FAILURE_FIELDS) end

-- Forgets an attempt counter whole (count, lock and the lockout count behind the backoff). The one way
-- every script clears a counter, so 'clear in recordOtpUse' and 'clearFailures' cannot drift apart.
local function clear_failures(key) redis.call('DEL', rkey('failures', key)) end

-- The record only if it belongs to 'user': another user's record reads exactly like a missing one (H3).
local function owned(key, user) return redis.call('HGET', key, 'user') == user end

-- Writes a credential and its index entries. '' stands for an absent optional field.
local function put_credential(id, user, json, kind, secret, createdAt, lastUsedStep, driftSteps, lastUsedAt)
  local key = rkey('cred', id)
  redis.call('HSET', key, 'user', user, 'json', json, 'kind', kind, 'createdAt', createdAt)
  if secret ~= '' then
    redis.call('HSET', key, 'secret', secret)
    redis.call('ZADD', P .. 'otp-credentials', 0, id)
  end
  if lastUsedStep ~= '' then redis.call('HSET', key, 'lastUsedStep', lastUsedStep) end
  if driftSteps ~= '' then redis.call('HSET', key, 'driftSteps', driftSteps) end
  if lastUsedAt ~= '' then redis.call('HSET', key, 'lastUsedAt', lastUsedAt) end
  -- Listed by creation time, then id (members with equal scores sort bytewise).
  redis.call('ZADD', ukey(user, 'credentials'), createdAt, id)
end

-- Removes a credential of 'user' with its index entries; 0 if there is none.
local function remove_credential(user, id)
  local key = rkey('cred', id)
  if not owned(key, user) then return 0 end
  redis.call('DEL', key)
  redis.call('ZREM', ukey(user, 'credentials'), id)
  redis.call('ZREM', P .. 'otp-credentials', id)
  return 1
end

-- Removes every trusted device of 'user' and the digest index; returns how many devices there were.
local function revoke_devices(user)
  local index = ukey(user, 'devices')
  local entries = redis.call('HGETALL', index)
  local removed = 0
  for i = 2, #entries, 2 do
    local key = rkey('device', entries[i])
    if owned(key, user) then removed = removed + redis.call('DEL', key) end
  end
  redis.call('DEL', index)
  return removed
end

-- Removes every record of 'kind' listed in the user's set index, and the index; returns how many.
local function remove_listed(user, what, kind)
  local index = ukey(user, what)
  local removed = 0
  for _, id in ipairs(redis.call('SMEMBERS', index)) do
    local key = rkey(kind, id)
    if owned(key, user) then removed = removed + redis.call('DEL', key) end
  end
  redis.call('DEL', index)
  return removed
end
`;
