/**
 * @module
 * The tokens Telegram carries back to the service: a linking token (the deep link's start parameter) and
 * an approval id (in the Approve / Deny buttons). Store reads are per user and Telegram returns only the
 * token, so each token names its user: `<16 random base64url characters><user part>`. The 96 random bits
 * are the capability; the user part is `u` and a lowercase UUID packed into 22 characters, or `b` and the
 * base64url of the user id's UTF-8 bytes. A token must fit the Bot API: a start parameter holds 64
 * characters and an approval id 62, so a user id is a lowercase UUID or at most 33 bytes.
 */
import { fillRandom } from '@secondfactor/core';
import { invalidArgument } from '../errors';
import type { ServiceContext } from '../options';
import { base64url, fromBase64url } from '../random-id';

/** A token's parts. @internal */
export interface PushToken {
  /** The 16-character random part: a pending enrollment's or an approval challenge's id. */
  random: string;
  userId: string;
}

const RANDOM = /^[A-Za-z0-9_-]{16}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_USER_BYTES = 33;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** 96 random bits as 16 base64url characters. @internal */
export function pushRandom(ctx: ServiceContext): string {
  return base64url(fillRandom(ctx.random, new Uint8Array(12), 'options.random'));
}

function userPart(userId: string): string | null {
  if (UUID.test(userId)) {
    const hex = userId.replaceAll('-', '');
    const bytes = new Uint8Array(16);
    for (let i = 0; i < 16; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    return `u${base64url(bytes)}`;
  }
  const bytes = encoder.encode(userId);
  return bytes.length > MAX_USER_BYTES ? null : `b${base64url(bytes)}`;
}

/** Whether push approval can name this user in its tokens. @internal */
export const fitsPushToken = (userId: string): boolean => userPart(userId) !== null;

/**
 * The token of `random` for `userId`.
 * @throws `invalid_argument` naming `name` when the user id does not fit (see the module comment).
 * @internal
 */
export function formatPushToken(token: PushToken, name = 'actor.id'): string {
  const user = userPart(token.userId);
  if (user === null) {
    throw invalidArgument(name, 'must be a lowercase UUID or at most 33 bytes for Telegram approval');
  }
  return `${token.random}${user}`;
}

function readUuid(bytes: Uint8Array): string {
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Reads a token; anything malformed is `null` (and is ignored by the caller). @internal */
export function parsePushToken(value: unknown): PushToken | null {
  if (typeof value !== 'string' || value.length > 64) return null;
  const random = value.slice(0, 16);
  const tag = value.charAt(16);
  const bytes = fromBase64url(value.slice(17));
  if (!RANDOM.test(random) || bytes === null || bytes.length === 0) return null;
  if (tag === 'u') return bytes.length === 16 ? { random, userId: readUuid(bytes) } : null;
  if (tag !== 'b' || bytes.length > MAX_USER_BYTES) return null;
  try {
    const userId = decoder.decode(bytes);
    // Only the one spelling formatPushToken makes is accepted.
    return formatPushToken({ random, userId }) === value ? { random, userId } : null;
  } catch {
    return null;
  }
}
