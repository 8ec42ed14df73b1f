/**
 * @module
 * Lua scripts of the credential primitives (see `SecondFactorStore.addCredential` and the methods after
 * it). A credential is the hash `P{u:<user>}:cred:<id>`, listed in the user's `credentials` index; the
 * replay guard is in `verification.ts`.
 */

/**
 * KEYS: user base, [prefix (single node)]. ARGV: id, user, json, kind, secret, createdAt, lastUsedStep,
 * driftSteps, lastUsedAt, switchedOffAt, address tag ('' = absent). → 1, or 0 if the id is taken. On a
 * single node the id claim, the otp index entry and the address index entry are written in the same
 * step; on a cluster the adapter took the claim and wrote the index entries before this script.
 */
export const ADD_CREDENTIAL: string = `
local root, id, user, tag = KEYS[2], ARGV[1], ARGV[2], ARGV[11]
if id_taken(B, id) then return 0 end
if root then
  local claim = id_key(root, 'cred', id)
  if redis.call('EXISTS', claim) == 1 then return 0 end
  redis.call('SET', claim, user)
  if ARGV[5] ~= '' then redis.call('ZADD', otp_index(root), 0, otp_member(id, user)) end
  if tag ~= '' then redis.call('ZADD', address_index(root, tag), 0, holder_member(user, id)) end
end
put_credential(B, id, ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10], tag)
return 1
`;

/** KEYS: user base. ARGV: id. → the credential fields, or nil. */
export const GET_CREDENTIAL: string = `
return read_record(B .. 'cred:' .. ARGV[1], CREDENTIAL_FIELDS)
`;

/** KEYS: user base. → the fields of each credential, by creation time then id. */
export const LIST_CREDENTIALS: string = `
local out = {}
for _, id in ipairs(redis.call('ZRANGE', B .. 'credentials', 0, -1)) do
  local fields = read_record(B .. 'cred:' .. id, CREDENTIAL_FIELDS)
  if fields then out[#out + 1] = fields end
end
return out
`;

/**
 * KEYS: user base, [prefix (single node)]. ARGV: user, id. → {1, address tag ('' = none)} if removed,
 * {0} if the user had none. On a single node the claim and the otp and address index entries go in the
 * same step; on a cluster the adapter removes them after this script.
 */
export const DELETE_CREDENTIAL: string = `
local root, user, id = KEYS[2], ARGV[1], ARGV[2]
local tag = remove_credential(B, id)
if not tag then return {0} end
if root then release_credential(root, id, user, tag) end
return {1, tag}
`;

/**
 * KEYS: user base. ARGV: id, label. → 1 if the user's credential now has this label, 0 if the user has
 * no such credential. The label goes in a field of its own, which wins over the one in the JSON part;
 * nothing else of the credential changes.
 */
export const RENAME_CREDENTIAL: string = `
local key = B .. 'cred:' .. ARGV[1]
if redis.call('EXISTS', key) == 0 then return 0 end
redis.call('HSET', key, 'label', ARGV[2])
return 1
`;

/**
 * KEYS: user base. ARGV: id, switchedOffAt ('' = switch on). → 1 if the user's credential is now switched
 * as asked, 0 if the user has no such credential. The switch is a field of its own; nothing else of the
 * credential changes, and its address index entry stays (a switched-off credential still holds its address).
 */
export const SWITCH_CREDENTIAL: string = `
local key = B .. 'cred:' .. ARGV[1]
if redis.call('EXISTS', key) == 0 then return 0 end
if ARGV[2] == '' then redis.call('HDEL', key, 'switchedOffAt') else redis.call('HSET', key, 'switchedOffAt', ARGV[2]) end
return 1
`;

/**
 * KEYS: the address index, prefix (single node only). ARGV: address tag, limit. → {user, credential
 * fields} of at most 'limit' credentials listed in the index, by user then id, read in the same step as
 * the index. An entry whose credential is gone or lists another address index (the tag it was written
 * with, in the credential's hash) is stale: it is removed here, in the step that saw it stale, so no
 * write can come between the check and the removal.
 */
export const LIST_ADDRESS_HOLDERS: string = `
local root, tag, limit = KEYS[2], ARGV[1], tonumber(ARGV[2])
local out, from = {}, '-'
while #out < limit do
  local members = redis.call('ZRANGEBYLEX', B, from, '+', 'LIMIT', 0, limit)
  for _, member in ipairs(members) do
    local user, id = string.match(member, '^(%S+) (%S+)$')
    local key = user_base(root, user) .. 'cred:' .. id
    if redis.call('HGET', key, 'addressTag') == tag then
      if #out < limit then out[#out + 1] = {user, read_fields(key, CREDENTIAL_FIELDS)} end
    else
      redis.call('ZREM', B, member)
    end
  end
  if #members < limit then break end
  from = '(' .. members[#members]
end
return out
`;

/** KEYS: user base. ARGV: id, expected, next. → 1 if the sealed secret was 'expected' and is now 'next'. */
export const REPLACE_CREDENTIAL_SECRET: string = `
local key = B .. 'cred:' .. ARGV[1]
local current = redis.call('HGET', key, 'secret')
if not current or current ~= ARGV[2] then return 0 end
redis.call('HSET', key, 'secret', ARGV[3])
return 1
`;

/**
 * KEYS: otp index, prefix (single node only). ARGV: from (a ZRANGEBYLEX bound), limit. → the fields of
 * credentials with a sealed secret, by id, read in the same step as the index.
 */
export const LIST_OTP_CREDENTIALS: string = `
local root = KEYS[2]
local out = {}
for _, member in ipairs(redis.call('ZRANGEBYLEX', B, ARGV[1], '+', 'LIMIT', 0, tonumber(ARGV[2]))) do
  local id, user = string.match(member, '^(%S+) (%S+)$')
  local fields = read_record(user_base(root, user) .. 'cred:' .. id, CREDENTIAL_FIELDS)
  if fields and fields[2] then out[#out + 1] = fields end
end
return out
`;
