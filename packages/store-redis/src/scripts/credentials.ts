/**
 * @module
 * Lua scripts of the credential primitives. Each runs atomically in Redis (a script is never interleaved
 * with another command), so each check and write below is one step for every client of the server.
 * The replay guard is in `verification.ts`, with the read half of a verification.
 */

/** ARGV: id, user, json, kind, secret, createdAt, lastUsedStep, driftSteps, lastUsedAt ('' = absent). → 1, or 0 if the id exists. */
export const ADD_CREDENTIAL: string = `
if redis.call('EXISTS', rkey('cred', ARGV[1])) == 1 then return 0 end
put_credential(ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9])
return 1
`;

/** ARGV: user, id. → the credential fields, or nil when it is missing or another user's. */
export const GET_CREDENTIAL: string = `
local key = rkey('cred', ARGV[2])
if not owned(key, ARGV[1]) then return nil end
return read_fields(key, CREDENTIAL_FIELDS)
`;

/** ARGV: user. → the fields of each credential, by creation time then id. */
export const LIST_CREDENTIALS: string = `
local out = {}
for _, id in ipairs(redis.call('ZRANGE', ukey(ARGV[1], 'credentials'), 0, -1)) do
  local key = rkey('cred', id)
  if owned(key, ARGV[1]) then out[#out + 1] = read_fields(key, CREDENTIAL_FIELDS) end
end
return out
`;

/** ARGV: user, id. → 1 if removed, 0 if there was none of this user. */
export const DELETE_CREDENTIAL: string = `
return remove_credential(ARGV[1], ARGV[2])
`;

/**
 * ARGV: user, id, expected, next. → 1 if the credential is the user's and its sealed secret still was
 * 'expected' and is now 'next', else 0.
 */
export const REPLACE_CREDENTIAL_SECRET: string = `
local key = rkey('cred', ARGV[2])
if not owned(key, ARGV[1]) then return 0 end
local current = redis.call('HGET', key, 'secret')
if not current or current ~= ARGV[3] then return 0 end
redis.call('HSET', key, 'secret', ARGV[4])
return 1
`;

/** ARGV: after ('' = from the start), limit. → the fields of credentials with a sealed secret, by id. */
export const LIST_OTP_CREDENTIALS: string = `
local from = '-'
if ARGV[1] ~= '' then from = '(' .. ARGV[1] end
local out = {}
local ids = redis.call('ZRANGEBYLEX', P .. 'otp-credentials', from, '+', 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do
  local fields = read_fields(rkey('cred', id), CREDENTIAL_FIELDS)
  if fields[1] then out[#out + 1] = fields end
end
return out
`;
