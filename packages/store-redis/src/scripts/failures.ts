/**
 * @module
 * Lua scripts of attempt counters, one hash `P{f:<key>}` per key (see `SecondFactorStore.registerFailure`).
 * `REGISTER_FAILURE` mirrors `nextFailureCounter` of `@secondfactor/store/adapter` step for step, window
 * and lock ending at `MAX_TIME` at the latest.
 */

/**
 * The count of one failure, shared by REGISTER_FAILURE and FAIL_LOGIN: `count_failure(key, now, maxFailures,
 * windowMs, retainMs, lockoutMs, backoffFactor, maxLockoutMs)` → count, lockedUntil (nil when not locked),
 * numbers all, the counter written.
 */
export const COUNT_FAILURE: string = `
local function count_failure(key, now, maxFailures, windowMs, retainMs, lockoutMs, backoffFactor, maxLockoutMs)
  local f = read_fields(key, FAILURE_FIELDS)
  local exists = f[1] ~= false
  local count, windowEndsAt, lockouts = 0, 0, 0
  local lockedUntil = nil
  if exists then
    count, windowEndsAt, lockouts = tonumber(f[1]), tonumber(f[2]), tonumber(f[4])
    if f[3] then lockedUntil = tonumber(f[3]) end
  end

  if lockedUntil ~= nil and now < lockedUntil then
    -- 1. while locked, the failure is counted and the lock is not extended
    count = count + 1
  else
    -- 2. after a lock lapsed, or when the window lapsed, counting restarts at now
    local restart = (not exists) or lockedUntil ~= nil or now >= windowEndsAt
    if restart then
      count = 1
      windowEndsAt = math.min(now + windowMs, MAX_TIME)
    else
      count = count + 1
    end
    lockedUntil = nil
    -- 3. reaching maxFailures locks for floor(lockoutMs * factor^lockouts), capped at maxLockoutMs
    if count >= maxFailures then
      -- The contract allows whole factors only: factor^lockouts is then an integer, exact in Lua's doubles
      -- as in JavaScript's while below 2^53, and beyond that the product exceeds any cap in both. (For a
      -- fractional factor C pow and JavaScript ** can round apart: 120000 * 1.45^3 floors to 365835 vs 365834.)
      local duration = math.min(math.floor(lockoutMs * backoffFactor ^ lockouts), maxLockoutMs)
      lockedUntil = math.min(now + duration, MAX_TIME)
      lockouts = lockouts + 1
    end
  end

  redis.call('HSET', key, 'count', int(count), 'windowEndsAt', int(windowEndsAt), 'lockouts', int(lockouts))
  local ends = windowEndsAt
  if lockedUntil ~= nil then
    redis.call('HSET', key, 'lockedUntil', int(lockedUntil))
    if lockedUntil > ends then ends = lockedUntil end
  else
    redis.call('HDEL', key, 'lockedUntil')
  end
  -- The counter (and with it the backoff) is forgotten retainMs after its window or lock ended.
  redis.call('PEXPIRE', key, ttl(ends, now, retainMs))
  return count, lockedUntil
end
`;

/**
 * KEYS: the counter. ARGV: now, maxFailures, windowMs, retainMs, lockoutMs, backoffFactor, maxLockoutMs.
 * → {count, lockedUntil (nil when not locked)}.
 */
export const REGISTER_FAILURE: string = `${COUNT_FAILURE}
local count, lockedUntil = count_failure(B, tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]),
  tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]))
if lockedUntil == nil then return {int(count), false} end
return {int(count), int(lockedUntil)}
`;

/** KEYS: the counter. → count, windowEndsAt, lockedUntil, lockouts (all nil for a key never seen). */
export const GET_FAILURES: string = `
return read_fields(B, FAILURE_FIELDS)
`;

/** KEYS: the counter. E6: forgets failures, lockout and backoff of this key only. */
export const CLEAR_FAILURES: string = `
clear_counter(B)
return 1
`;

/**
 * KEYS: the counter. ARGV: now, check ('1' = refuse if locked at now), clear ('1' = clear it). → 0 if
 * refused (nothing written), else 1. The counter's part of a `recordOtpUse` on a cluster: the lock test
 * and the clear are one step on the counter, so a `registerFailure` of it lands wholly before or after.
 */
export const GATE_FAILURES: string = `
if ARGV[2] == '1' and locked(B, tonumber(ARGV[1])) then return 0 end
if ARGV[3] == '1' then clear_counter(B) end
return 1
`;
