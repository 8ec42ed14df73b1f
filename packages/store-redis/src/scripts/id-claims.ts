/**
 * @module
 * Lua scripts of id claims, the cluster's guard of ids the contract makes unique across users
 * (`SecondFactorStore.addCredential`, `createPendingEnrollment`, `createChallenge`, `addTrustedDevice`).
 * A record lives in its user's slot, so no script can see another user's record with the same id. The
 * claim key `P{id:<kind>:<id>}`, in a slot of its own, holds `<user> <ms> <token>`: who took the id, when
 * (Redis time) and with which random token. It is written before the record, in a separate step: a claim
 * whose record was never written (the second step failed) or was removed is stale, and the next user
 * who wants the id takes it over once the holder's slot shows no record with it and the claim is older
 * than the lease. On a single node the record scripts keep claims exactly (written and deleted with their
 * record, `<user>` only) and refuse any id that has one.
 */

/**
 * KEYS: the claim. ARGV: user, token, ttl ('' = none), lease, expected ('' = take a free or own claim;
 * otherwise take it over only if it is still exactly this value).
 * → {1} taken, or {0, current value or false, 1 if the current claim is younger than the lease}.
 * An own claim keeps the longer life: a credential's claim (no TTL) never gets one from a later call.
 */
export const CLAIM_ID: string = `
local user, expected = ARGV[1], ARGV[5]
local time = redis.call('TIME')
local ms = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local current = redis.call('GET', B)
local holder, at = nil, nil
if current then holder, at = string.match(current, '^(%S+) ?(%d*)') end
local young = 0
if at and at ~= '' and ms - tonumber(at) < tonumber(ARGV[4]) then young = 1 end
if expected ~= '' then
  if current ~= expected then return {0, current, young} end
elseif current and holder ~= user then
  return {0, current, young}
end
local left = redis.call('PTTL', B)
redis.call('SET', B, user .. ' ' .. int(ms) .. ' ' .. ARGV[2])
if ARGV[3] ~= '' and not (holder == user and left == -1) then
  local life = tonumber(ARGV[3])
  if holder == user and left > life then life = left end
  redis.call('PEXPIRE', B, int(life))
end
return {1}
`;

/** KEYS: the holder's user base. ARGV: kind, id. → 1 if the holder has a record with this id. */
export const HOLDS_ID: string = `
local kind, id = ARGV[1], ARGV[2]
if kind == 'cred' then
  if id_taken(B, id) then return 1 end
  return 0
end
return redis.call('EXISTS', B .. kind .. ':' .. id)
`;

/** KEYS: the claim. ARGV: user. Removes the claim if this user holds it (after the record was removed). */
export const RELEASE_ID: string = `
local current = redis.call('GET', B)
if not current or string.match(current, '^%S+') ~= ARGV[1] then return 0 end
return redis.call('DEL', B)
`;

/**
 * KEYS: the claim. ARGV: user, ttl. A resend moved the record's end: the claim this user holds lives at
 * least as long (never shortened, never made finite).
 */
export const EXTEND_ID: string = `
local current = redis.call('GET', B)
if not current or string.match(current, '^%S+') ~= ARGV[1] then return 0 end
local left = redis.call('PTTL', B)
if left ~= -1 and left < tonumber(ARGV[2]) then redis.call('PEXPIRE', B, ARGV[2]) end
return 1
`;
