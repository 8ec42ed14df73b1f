/**
 * @module
 * Lua scripts of session epochs (see `SecondFactorStore.getSessionEpoch` and `bumpSessionEpoch`): the
 * counter `P{u:<user>}:epoch`, in the user's slot so that `completeLogin` reads it in its own step. It
 * has no TTL, and no other script writes or deletes it (`resetUser` included).
 */

/** KEYS: user base. → the epoch, 0 when never bumped. */
export const GET_SESSION_EPOCH: string = `
return tonumber(redis.call('GET', B .. 'epoch') or '0')
`;

/** KEYS: user base. → the epoch after one increment (INCR: concurrent bumps each get their own value). */
export const BUMP_SESSION_EPOCH: string = `
return redis.call('INCR', B .. 'epoch')
`;
