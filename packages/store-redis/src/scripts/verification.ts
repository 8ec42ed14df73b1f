/**
 * @module
 * Lua scripts of the two halves of a TOTP/HOTP verification (see `SecondFactorStore.recordOtpUse` and
 * `SecondFactorStore.getCredentialForVerification`). On a single node each half is one script over the
 * credential and the named attempt counters together. On a cluster the counters live in slots of their
 * own, so a use runs in three steps, all guarded by the credential's use key `P{u:<user>}:use:<id>`:
 * BEGIN takes it (the credential's checks pass and no other use is in flight), the counters are checked
 * and cleared one by one (`GATE_FAILURES`), and END records the step and drops the key.
 */

/** The checks and the write of a use, shared by the scripts below and by `completeLogin`'s (`login.ts`). */
export const USABLE: string = `
-- Whether a use of 'step' may be recorded on the credential 'key' now: it exists, no use of it is in
-- flight, the step is beyond the last one (RFC 6238 §5.2 / RFC 4226 §7.2: of any number of callers
-- with the same step exactly one passes), and a cached sealed secret is still the stored one.
local function usable(key, use, step, ifSecret)
  local c = redis.call('HMGET', key, 'json', 'lastUsedStep', 'secret')
  if not c[1] or redis.call('EXISTS', use) == 1 then return false end
  if c[2] and tonumber(step) <= tonumber(c[2]) then return false end
  if ifSecret ~= '' and c[3] ~= ifSecret then return false end
  return true
end

local function record(key, step, now, driftSteps)
  redis.call('HSET', key, 'lastUsedStep', step, 'lastUsedAt', now)
  if driftSteps ~= '' then redis.call('HSET', key, 'driftSteps', driftSteps) end
end
`;

/**
 * KEYS: user base, [prefix (single node)]. ARGV: id, step, now, driftSteps ('' = keep), ifSecret ('' =
 * not compared), the number L of lock keys, then L keys that must not be locked at now, then the keys to
 * clear (counters: single node only). → 1 if recorded, else 0, and a 0 changes nothing at all.
 */
export const RECORD_OTP_USE: string = `${USABLE}
local root, id, now = KEYS[2], ARGV[1], tonumber(ARGV[3])
local key = B .. 'cred:' .. id
if not usable(key, B .. 'use:' .. id, ARGV[2], ARGV[5]) then return 0 end
local locks = tonumber(ARGV[6])
-- E1: a counter locked at now refuses even the right code.
for i = 7, 6 + locks do
  if locked(counter_key(root, ARGV[i]), now) then return 0 end
end
record(key, ARGV[2], ARGV[3], ARGV[4])
-- E6: only the caller that recorded the step resets the counters it names, in this same step.
for i = 7 + locks, #ARGV do clear_counter(counter_key(root, ARGV[i])) end
return 1
`;

/**
 * KEYS: user base, [prefix (single node)]. ARGV: id, then the failure keys (single node only). → {credential
 * fields or false, the use in flight or false, then per failure key: count, windowEndsAt, lockedUntil,
 * lockouts}. Reads only. A cluster reads the counters with `GET_FAILURES` between two runs of this script.
 */
export const GET_CREDENTIAL_FOR_VERIFICATION: string = `
local root, id = KEYS[2], ARGV[1]
-- false, not nil: a nil would end the Lua array here and drop what follows.
local out = {read_record(B .. 'cred:' .. id, CREDENTIAL_FIELDS) or false, redis.call('GET', B .. 'use:' .. id)}
for i = 2, #ARGV do out[#out + 1] = read_fields(counter_key(root, ARGV[i]), FAILURE_FIELDS) end
return out
`;

/**
 * KEYS: user base. ARGV: id, step, ifSecret, token, leaseMs. → 1 if the use key was taken for this token,
 * 0 if the use is refused as it stands (changes nothing). The key expires after the lease (Redis time), so
 * a use whose process died holds the credential that long at most.
 */
export const BEGIN_OTP_USE: string = `${USABLE}
local use = B .. 'use:' .. ARGV[1]
if not usable(B .. 'cred:' .. ARGV[1], use, ARGV[2], ARGV[3]) then return 0 end
redis.call('SET', use, ARGV[4], 'PX', ARGV[5])
return 1
`;

/**
 * KEYS: user base. ARGV: id, token, commit ('1' = record, '0' = give up), step, now, driftSteps, ifSecret.
 * → 1 if the step was recorded. Records only while this token still holds the use key and the credential
 * passes its checks again (it may have been deleted or rotated meanwhile); always drops its use key.
 */
export const END_OTP_USE: string = `${USABLE}
local id = ARGV[1]
local use = B .. 'use:' .. id
if redis.call('GET', use) ~= ARGV[2] then return 0 end
redis.call('DEL', use)
local key = B .. 'cred:' .. id
if ARGV[3] ~= '1' or not usable(key, use, ARGV[4], ARGV[7]) then return 0 end
record(key, ARGV[4], ARGV[5], ARGV[6])
return 1
`;
