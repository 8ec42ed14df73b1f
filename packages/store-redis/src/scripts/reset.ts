/**
 * @module
 * The Lua script of the admin reset of one user (see `SecondFactorStore.resetUser`).
 */

/**
 * KEYS: user base, [prefix (single node)]. ARGV: user. → {credentials, backupCodes, pendingEnrollments,
 * trustedDevices, challenges, then the removed ids: {credentials}, {pending enrollments}, {devices},
 * {challenges}, then {the address tags of the removed credentials}, in the order of their ids}. Every
 * record of the user goes in this one step; settings and the audit trail stay. On a single node the id
 * claims and the otp and address index entries go with them; on a cluster the adapter releases them
 * after this script, from the ids and tags it returns.
 */
export const RESET_USER: string = `
local root, user = KEYS[2], ARGV[1]
local creds, tags = {}, {}
for _, id in ipairs(redis.call('ZRANGE', B .. 'credentials', 0, -1)) do
  local tag = remove_credential(B, id)
  if tag then
    creds[#creds + 1] = id
    tags[#tags + 1] = tag
  end
end
redis.call('DEL', B .. 'credentials')
local codes = B .. 'backup:codes'
local backupCodes = redis.call('SCARD', codes)
redis.call('DEL', codes, B .. 'backup:meta')
local pending, devices, challenges = {}, {}, {}
remove_listed(B, 'pending', 'pending', pending)
revoke_devices(B, devices)
remove_listed(B, 'challenges', 'challenge', challenges)
if root then
  for i, id in ipairs(creds) do release_credential(root, id, user, tags[i]) end
  for _, id in ipairs(pending) do redis.call('DEL', id_key(root, 'cred', id)) end
  for _, id in ipairs(devices) do redis.call('DEL', id_key(root, 'device', id)) end
  for _, id in ipairs(challenges) do redis.call('DEL', id_key(root, 'challenge', id)) end
end
return {#creds, backupCodes, #pending, #devices, #challenges, creds, pending, devices, challenges, tags}
`;
