/**
 * @module
 * Lua scripts of the append-only audit log (checklist H8, K6). Event bodies live once in a hash keyed by
 * event id; sorted sets (all events, per user, per tenant) index them by time. Nothing updates or deletes.
 */

/**
 * ARGV: id, json, at, user ('' = none), tenant ('' = none). → 1, or 0 if the id was seen before.
 * Index members are a 16-digit sequence number and the id: equal times then sort newest-appended first.
 */
export const APPEND_AUDIT: string = `
local events = P .. 'audit:events'
if redis.call('HEXISTS', events, ARGV[1]) == 1 then return 0 end
local member = string.format('%016.0f', redis.call('INCR', P .. 'audit:seq')) .. ':' .. ARGV[1]
redis.call('HSET', events, ARGV[1], ARGV[2])
redis.call('ZADD', P .. 'audit:all', ARGV[3], member)
if ARGV[4] ~= '' then redis.call('ZADD', ukey(ARGV[4], 'audit'), ARGV[3], member) end
if ARGV[5] ~= '' then redis.call('ZADD', tkey(ARGV[5], 'audit'), ARGV[3], member) end
return 1
`;

/**
 * ARGV: user ('' = any), tenant ('' = any), since ('' = all time), limit. → event JSON, newest first.
 * With both filters the user's index is walked and each event checked against the tenant's index.
 */
export const LIST_AUDIT: string = `
local user, tenant, limit = ARGV[1], ARGV[2], tonumber(ARGV[4])
local index, filter = P .. 'audit:all', nil
if user ~= '' then
  index = ukey(user, 'audit')
  if tenant ~= '' then filter = tkey(tenant, 'audit') end
elseif tenant ~= '' then
  index = tkey(tenant, 'audit')
end
local since = '-inf'
if ARGV[3] ~= '' then since = ARGV[3] end
local events = P .. 'audit:events'
local out, offset = {}, 0
while #out < limit do
  local members = redis.call('ZREVRANGEBYSCORE', index, '+inf', since, 'LIMIT', offset, limit)
  if #members == 0 then break end
  offset = offset + #members
  for _, member in ipairs(members) do
    if filter == nil or redis.call('ZSCORE', filter, member) then
      out[#out + 1] = redis.call('HGET', events, string.sub(member, 18))
      if #out == limit then break end
    end
  end
end
return out
`;
