/**
 * @module
 * Lua scripts of the success step of a login (see `SecondFactorStore.completeLogin`). On a single node
 * one script decides and writes it all: the challenge, the credential or the backup code and the epoch
 * (the user's slot), the attempt counters and the audit log. On a cluster the counters and the log live
 * in slots of their own. Without counters the same script runs in the user's slot, and the adapter
 * appends the audit record after it. With counters the login runs in steps, like a cluster's
 * `recordOtpUse`: BEGIN takes the user's login lease `P{u:<user>}:login:use` (and, with an OTP, the
 * credential's use key) once every check of the user's slot passes; the counters are checked and
 * cleared on their slots (`GATE_FAILURES`); END checks again, writes and gives the lease back.
 */
import { AUDIT_LOG } from './audit';
import { USABLE } from './verification';

// Shared by the scripts below.
const LOGIN = `${USABLE}
-- The kind of a challenge: its own field, or, for one written before the field existed, its JSON part's.
local function challenge_kind(kind, json)
  if kind then return kind end
  local ok, record = pcall(cjson.decode, json)
  if ok and type(record) == 'table' then return record.kind end
  return nil
end

-- Whether the challenge 'id' of the user at 'base' may complete a login at 'now': of kind 'login', not
-- consumed, not expired, not out of attempts, and no other login of the user in flight (a cluster's lease).
local function login_open(base, id, now)
  if redis.call('EXISTS', base .. 'login:use') == 1 then return false end
  local c = redis.call('HMGET', base .. 'challenge:' .. id, 'json', 'kind', 'expiresAt', 'attempts',
    'maxAttempts', 'consumedAt')
  if not c[1] or c[6] or challenge_kind(c[2], c[1]) ~= 'login' then return false end
  if tonumber(now) >= tonumber(c[3]) then return false end
  -- E1: a challenge out of attempts completes nothing, not even with the right factor.
  return tonumber(c[4]) < tonumber(c[5])
end

-- The factor: a step the replay guard accepts (what recordOtpUse decides), an unused backup code, or
-- neither ('' for both: the factor was checked elsewhere).
local function factor_ok(base, cred, step, ifSecret, digest)
  if cred ~= '' then return usable(base .. 'cred:' .. cred, base .. 'use:' .. cred, step, ifSecret) end
  if digest ~= '' then return redis.call('SISMEMBER', base .. 'backup:codes', digest) == 1 end
  return true
end

-- The writes in the user's slot. → {'ok', epoch, backup codes left (with a backup code only)}.
local function complete(base, id, now, cred, step, driftSteps, digest)
  redis.call('HSET', base .. 'challenge:' .. id, 'consumedAt', now)
  if cred ~= '' then record(base .. 'cred:' .. cred, step, now, driftSteps) end
  local reply = {'ok', tonumber(redis.call('GET', base .. 'epoch') or '0')}
  if digest ~= '' then
    redis.call('SREM', base .. 'backup:codes', digest)
    reply[3] = redis.call('SCARD', base .. 'backup:codes')
  end
  return reply
end
`;

/**
 * KEYS: user base, [prefix (single node)]. ARGV: challenge id, now, credential id ('' = no OTP), step,
 * driftSteps ('' = keep), ifSecret ('' = not compared), backup code digest ('' = none), audit id ('' =
 * none), audit json, at, user, tenant (the audit record: single node only), the number L of lock keys,
 * then L keys that must not be locked at now, then the keys to clear (counters: single node only).
 * → {'ok', epoch, backup codes left} | {'refused'} | {'conflict'} (the login would complete, but the
 * audit id exists); only 'ok' writes.
 */
export const COMPLETE_LOGIN: string = `${LOGIN}${AUDIT_LOG}
local root, id, now = KEYS[2], ARGV[1], ARGV[2]
local cred, step, driftSteps, ifSecret, digest = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local audit = ARGV[8]
if not login_open(B, id, now) or not factor_ok(B, cred, step, ifSecret, digest) then return {'refused'} end
local locks = tonumber(ARGV[13])
-- E1: a counter locked at now refuses even the right factor.
for i = 14, 13 + locks do
  if locked(counter_key(root, ARGV[i]), tonumber(now)) then return {'refused'} end
end
-- H8: the log is append-only: an audit id seen before refuses the whole step, before any write.
if root and audit ~= '' and audit_stored(audit_base(root), audit) then return {'conflict'} end
local reply = complete(B, id, now, cred, step, driftSteps, digest)
-- E6: only the call that completes resets the counters it names, in this same step.
for i = 14 + locks, #ARGV do clear_counter(counter_key(root, ARGV[i])) end
if root and audit ~= '' then
  append_audit(audit_base(root), root, audit, ARGV[9], ARGV[10], ARGV[11], ARGV[12])
end
return reply
`;

/**
 * KEYS: user base. ARGV: challenge id, now, credential id ('' = no OTP), step, ifSecret, backup code
 * digest ('' = none), token, leaseMs. → 1 if the lease was taken for this token, 0 if the login is
 * refused as it stands (nothing written). Lease and use key expire after leaseMs (Redis time), so a
 * login whose process died holds the user's logins and the credential that long at most.
 */
export const BEGIN_LOGIN: string = `${LOGIN}
local id, now, cred, token = ARGV[1], ARGV[2], ARGV[3], ARGV[7]
if not login_open(B, id, now) or not factor_ok(B, cred, ARGV[4], ARGV[5], ARGV[6]) then return 0 end
redis.call('SET', B .. 'login:use', token, 'PX', ARGV[8])
-- The credential's use key as well: recordOtpUse refuses, and reads start over, while the login is in flight.
if cred ~= '' then redis.call('SET', B .. 'use:' .. cred, token, 'PX', ARGV[8]) end
return 1
`;

/**
 * KEYS: user base. ARGV: challenge id, token, commit ('1' = complete, '0' = give up), now, credential
 * id, step, driftSteps, ifSecret, backup code digest. → as COMPLETE_LOGIN, without 'conflict'. Completes
 * only while this token still holds the lease and every check passes again (the challenge, credential or
 * code may have changed meanwhile); always gives the lease and the use key back.
 */
export const END_LOGIN: string = `${LOGIN}
local id, token, now, cred = ARGV[1], ARGV[2], ARGV[4], ARGV[5]
local lease = B .. 'login:use'
if redis.call('GET', lease) ~= token then return {'refused'} end
redis.call('DEL', lease)
local use = B .. 'use:' .. cred
if cred ~= '' and redis.call('GET', use) == token then redis.call('DEL', use) end
if ARGV[3] ~= '1' then return {'refused'} end
if not login_open(B, id, now) or not factor_ok(B, cred, ARGV[6], ARGV[8], ARGV[9]) then return {'refused'} end
return complete(B, id, now, cred, ARGV[6], ARGV[7], ARGV[9])
`;
