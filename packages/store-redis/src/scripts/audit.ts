/**
 * @module
 * Lua scripts of the append-only audit log (see `SecondFactorStore.appendAudit`, checklist H8). The log
 * of all events lives under `P{audit}:` (body per event id, index by time, the sequence that orders
 * events of one millisecond); the user's and the tenant's indexes live in their own slots, each with a
 * copy of the bodies, so every listing reads one slot. Index members are `<seq>:<id>:<tenant>`: a
 * 16-digit sequence number (equal times then sort newest-appended first), the event id and the tenant
 * ('' for none), which lets a user's index answer a tenant filter. Nothing updates or deletes.
 */

/**
 * The append of a new event, shared by APPEND_AUDIT and the single-node `completeLogin`. `base` is the
 * audit base; with `root` (single node) the user's and the tenant's indexes are written in the same step.
 */
export const AUDIT_LOG: string = `
-- The event stored under 'id' in the log of all events, or false.
local function audit_stored(base, id) return redis.call('HGET', base .. 'events', id) end

-- Appends an event whose id the log does not hold yet; returns its index member.
local function append_audit(base, root, id, json, at, user, tenant)
  local member = string.format('%016.0f', redis.call('INCR', base .. 'seq')) .. ':' .. id .. ':' .. tenant
  redis.call('HSET', base .. 'events', id, json, '#' .. id, member)
  redis.call('ZADD', base .. 'all', at, member)
  if root then
    local bases = {}
    if user ~= '' then bases[#bases + 1] = user_base(root, user) end
    if tenant ~= '' then bases[#bases + 1] = tenant_base(root, tenant) end
    for _, index in ipairs(bases) do
      redis.call('ZADD', index .. 'audit', at, member)
      redis.call('HSET', index .. 'audit:events', id, json)
    end
  end
  return member
end
`;

/**
 * KEYS: audit base, [prefix (single node)]. ARGV: id, json, at, user ('' = none), tenant ('' = none).
 * → {1, member} appended, or {0, member, json} of the event stored under this id. On a single node the
 * user's and the tenant's indexes are written in the same step; on a cluster the adapter writes them
 * after this script with `AUDIT_INDEX`, and writes them again for an id seen before, so that a retry of
 * an append whose second step failed completes it (the original event is kept).
 */
export const APPEND_AUDIT: string = `${AUDIT_LOG}
local id = ARGV[1]
local stored = audit_stored(B, id)
if stored then return {0, redis.call('HGET', B .. 'events', '#' .. id), stored} end
return {1, append_audit(B, KEYS[2], id, ARGV[2], ARGV[3], ARGV[4], ARGV[5])}
`;

/**
 * KEYS: audit base. ARGV: id. → 1 if the log holds an event with this id. A cluster's `completeLogin`
 * asks before its step, so that an id seen before refuses the login with nothing changed.
 */
export const AUDIT_EXISTS: string = `
return redis.call('HEXISTS', B .. 'events', ARGV[1])
`;

/** KEYS: index, bodies (one user's or tenant's). ARGV: at, member, id, json. Idempotent. */
export const AUDIT_INDEX: string = `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
return 1
`;

/**
 * KEYS: index, bodies (of all events, a user's or a tenant's). ARGV: tenant ('' = any), since ('' = all
 * time), limit. → event JSON, newest first.
 */
export const LIST_AUDIT: string = `
local index, events, tenant, limit = KEYS[1], KEYS[2], ARGV[1], tonumber(ARGV[3])
local since = '-inf'
if ARGV[2] ~= '' then since = ARGV[2] end
local out, offset = {}, 0
while #out < limit do
  local members = redis.call('ZREVRANGEBYSCORE', index, '+inf', since, 'LIMIT', offset, limit)
  if #members == 0 then break end
  offset = offset + #members
  for _, member in ipairs(members) do
    local id, of = string.match(member, '^%d+:([^:]*):(.*)$')
    if tenant == '' or of == tenant then
      out[#out + 1] = redis.call('HGET', events, id)
      if #out == limit then break end
    end
  end
end
return out
`;
