/**
 * @module
 * Lua scripts of the sorted-set indexes that span users (the users of a tenant, the credentials with a
 * sealed secret). Every member has score 0, so the index pages by member bytes. On a single node the
 * record scripts write these indexes in their own step; on a cluster each index is its own slot, and the
 * adapter writes it in a separate, idempotent step with these scripts, and reads it with them.
 */

/** KEYS: the index. ARGV: from (a ZRANGEBYLEX bound: '-', '(member' or '[member'), limit. → members. */
export const INDEX_PAGE: string = `
return redis.call('ZRANGEBYLEX', B, ARGV[1], '+', 'LIMIT', 0, tonumber(ARGV[2]))
`;

/** KEYS: the index. ARGV: 'add' or 'remove', then members. Idempotent: a repeat changes nothing. */
export const INDEX_WRITE: string = `
for i = 2, #ARGV do
  if ARGV[1] == 'add' then redis.call('ZADD', B, 0, ARGV[i]) else redis.call('ZREM', B, ARGV[i]) end
end
return 1
`;
