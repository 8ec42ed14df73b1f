/**
 * @module
 * Lua scripts of the two halves of a TOTP/HOTP verification, one round trip each: the read (the
 * credential and the attempt counters that may lock it out, from one state) and the success (the
 * RFC 6238 §5.2 replay guard, with the counters of the factor used cleared in the same step, E6). The
 * success may also check a cached sealed secret and the locks itself, so a warm verification is one script.
 */

/**
 * ARGV: user, id, then the failure keys. → {credential fields, or nil when missing or another user's;
 * then per failure key, in order: count, windowEndsAt, lockedUntil, lockouts (all nil when none)}.
 * Reads only: the script sees one state of the server, so no write lands between the two parts.
 */
export const GET_CREDENTIAL_FOR_VERIFICATION: string = `
local key = rkey('cred', ARGV[2])
-- false, not nil: a nil would end the Lua array here and drop the counters after it.
local out = {false}
if owned(key, ARGV[1]) then out[1] = read_fields(key, CREDENTIAL_FIELDS) end
for i = 3, #ARGV do out[#out + 1] = read_failures(ARGV[i]) end
return out
`;

/**
 * ARGV: user, id, step, now, driftSteps ('' = keep), ifSecret ('' = not compared), the number L of lock
 * keys, then L keys that must not be locked at now, then the keys to clear. → 1 if recorded, 0 if the
 * credential does not exist or is another user's, the step is not beyond the last one, the sealed secret
 * is not ifSecret or a lock key is locked; a 0 changes nothing at all.
 */
export const RECORD_OTP_USE: string = `
local key = rkey('cred', ARGV[2])
-- H3: another user's credential reads exactly like a missing one.
if not owned(key, ARGV[1]) then return 0 end
-- RFC 6238 §5.2 / RFC 4226 §7.2: only a step beyond the last accepted one is accepted, so of any
-- number of callers with the same step exactly one passes this line.
local last = redis.call('HGET', key, 'lastUsedStep')
if last and tonumber(ARGV[3]) <= tonumber(last) then return 0 end
-- A cached sealed secret is good only while it is still the stored one (not rotated, not replaced); a
-- credential without a secret has none to match.
if ARGV[6] ~= '' and redis.call('HGET', key, 'secret') ~= ARGV[6] then return 0 end
-- E1: a counter locked at now refuses even the right code (the test readFailureState makes).
local now = tonumber(ARGV[4])
local locks = tonumber(ARGV[7])
for i = 8, 7 + locks do
  local lockedUntil = redis.call('HGET', rkey('failures', ARGV[i]), 'lockedUntil')
  if lockedUntil and now < tonumber(lockedUntil) then return 0 end
end
redis.call('HSET', key, 'lastUsedStep', ARGV[3], 'lastUsedAt', ARGV[4])
if ARGV[5] ~= '' then redis.call('HSET', key, 'driftSteps', ARGV[5]) end
-- E6: only the caller that recorded the step resets the counters it names, in this same step; a
-- registerFailure of one of them runs wholly before this script (its lock refused above, or its count
-- is cleared here) or wholly after it (and stays).
for i = 8 + locks, #ARGV do clear_failures(ARGV[i]) end
return 1
`;
