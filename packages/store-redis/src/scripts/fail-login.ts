/**
 * @module
 * Lua script of a wrong second-factor answer (see `SecondFactorStore.failLogin`). On a single node one
 * script counts the failure on every counter, the attempt on the user's challenge and appends the audit
 * record. On a cluster the counters and the log live in slots of their own: the same script runs in the
 * user's slot for the challenge alone, each counter is a `registerFailure` in its slot, and the adapter
 * appends the audit record after them.
 */
import { AUDIT_LOG } from './audit';
import { COUNT_FAILURE } from './failures';

/**
 * KEYS: user base, [prefix (single node)]. ARGV: challenge id ('' = none), now, maxFailures, windowMs,
 * retainMs, lockoutMs, backoffFactor, maxLockoutMs, audit id ('' = none: a cluster), the audit JSON up
 * to the end of its data's fields (`…"data":{…,` or `…"data":{`), at, user, tenant, then the counter
 * keys (single node only). → {'ok', attempts ('' = no challenge), then count and lockedUntil ('' = not
 * locked) of each key} | {'conflict'} (the audit id exists: nothing written).
 */
export const FAIL_LOGIN: string = `${COUNT_FAILURE}${AUDIT_LOG}
local root, id, now = KEYS[2], ARGV[1], tonumber(ARGV[2])
local audit = ARGV[9]
-- H8: the log is append-only: an audit id seen before refuses the whole step, before any count.
if root and audit ~= '' and audit_stored(audit_base(root), audit) then return {'conflict'} end
local reply = {'ok', ''}
local failures, anyLocked = nil, false
for i = 14, #ARGV do
  -- E1, E2: each counter counted as registerFailure counts it.
  local count, lockedUntil = count_failure(counter_key(root, ARGV[i]), now, tonumber(ARGV[3]),
    tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]))
  if failures == nil then failures = count end
  if lockedUntil ~= nil and lockedUntil > now then anyLocked = true end
  reply[#reply + 1] = int(count)
  reply[#reply + 1] = lockedUntil and int(lockedUntil) or ''
end
-- As a consumeChallenge that does not match: only an open challenge with attempts left counts.
if id ~= '' then
  local key = B .. 'challenge:' .. id
  local c = redis.call('HMGET', key, 'json', 'expiresAt', 'attempts', 'maxAttempts', 'consumedAt')
  if c[1] then
    local attempts = tonumber(c[3])
    if not c[5] and now < tonumber(c[2]) and attempts < tonumber(c[4]) then
      attempts = redis.call('HINCRBY', key, 'attempts', 1)
    end
    reply[2] = int(attempts)
  end
end
if root and audit ~= '' then
  local json = ARGV[10] .. '"failures":' .. int(failures or 0) .. ',"locked":' .. tostring(anyLocked) .. '}}'
  append_audit(audit_base(root), root, audit, json, ARGV[11], ARGV[12], ARGV[13])
end
return reply
`;
