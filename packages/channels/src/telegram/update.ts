/**
 * @module
 * Reading a Telegram `Update` posted to the webhook into what the provider acts on: a `/start <token>` in
 * a private chat (linking), a press of Approve or Deny (a decision), or something to ignore. The body is
 * checked field by field; a body Telegram would never send is `invalid_argument`.
 */

import { SecondFactorError } from '@secondfactor/core';
import { _readCallbackData } from './message';

/**
 * `/start <token>` sent in a private chat: the user opened the deep link of `startLink(token)`.
 * The host looks the one-time token up and links `chatId` to its user.
 *
 * @example
 * ```ts
 * import type { TelegramStart } from '@secondfactor/channels';
 *
 * const start: TelegramStart = { kind: 'start', updateId: 7001, chatId: 42, startToken: 'q8Zr2LmXw0Yc4TbN' };
 * ```
 */
export interface TelegramStart {
  kind: 'start';
  /** Telegram's `update_id`: it only grows, so a host that keeps the last one refuses replays. */
  updateId: number;
  /** The private chat (equal to the user's Telegram id) to link. */
  chatId: number;
  /** The start parameter, as given to `startLink`. */
  startToken: string;
}

/**
 * A press of Approve or Deny on an approval message. The host checks that `approvalId` is a pending
 * approval of a user `chatId` is linked to, then answers with `answerDecision` and `closeApproval`.
 *
 * @example
 * ```ts
 * import type { TelegramDecision } from '@secondfactor/channels';
 *
 * const decision: TelegramDecision = {
 *   kind: 'decision',
 *   updateId: 7002,
 *   chatId: 42,
 *   messageId: 9,
 *   callbackQueryId: '4382bfdwdsb323b2d9',
 *   approvalId: 'k3Jd9_Qx2mVb7LpA',
 *   decision: 'approve',
 * };
 * ```
 */
export interface TelegramDecision {
  kind: 'decision';
  /** Telegram's `update_id`: it only grows, so a host that keeps the last one refuses replays. */
  updateId: number;
  /** The private chat the button was pressed in. */
  chatId: number;
  /** The approval message, for `closeApproval`. */
  messageId: number;
  /** The callback query, for `answerDecision`. */
  callbackQueryId: string;
  /** The `approvalId` given to `sendApproval`. */
  approvalId: string;
  decision: 'approve' | 'deny';
}

/**
 * Why an update was ignored:
 * - `unsupported_update`: not a message or button press the provider acts on (an edit, a photo, a
 *   button of a message without text);
 * - `not_private_chat`: sent in a group or channel, where anyone in it could have sent it;
 * - `not_a_start_command`: a message other than `/start <token>`, or a `/start` addressed to another bot;
 * - `invalid_start_token`: a start parameter `startLink` would not have made;
 * - `unknown_button`: callback data that is not an approval message's;
 * - `sender_mismatch`: a button pressed by someone other than the private chat's user;
 * - `stale`: the message is older than `maxAgeSeconds` (for a button: the approval message is).
 *
 * @example
 * ```ts
 * import type { TelegramIgnoredReason } from '@secondfactor/channels';
 *
 * const reason: TelegramIgnoredReason = 'not_private_chat';
 * ```
 */
export type TelegramIgnoredReason =
  | 'unsupported_update'
  | 'not_private_chat'
  | 'not_a_start_command'
  | 'invalid_start_token'
  | 'unknown_button'
  | 'sender_mismatch'
  | 'stale';

/**
 * An update the provider does not act on. Answer the webhook with 200 all the same, or Telegram sends it
 * again. When it was a button press, `callbackQueryId` lets the host still answer it ("This request has
 * expired") so the user's button stops spinning.
 *
 * @example
 * ```ts
 * import type { TelegramIgnored } from '@secondfactor/channels';
 *
 * const ignored: TelegramIgnored = { kind: 'ignored', updateId: 7003, reason: 'not_private_chat' };
 * ```
 */
export interface TelegramIgnored {
  kind: 'ignored';
  /** Telegram's `update_id`. */
  updateId: number;
  reason: TelegramIgnoredReason;
  /** The callback query to answer, when the update was a button press. */
  callbackQueryId?: string | undefined;
}

/**
 * What `parseUpdate` makes of a webhook request.
 *
 * @example
 * ```ts
 * import type { TelegramUpdate } from '@secondfactor/channels';
 *
 * function describe(update: TelegramUpdate): string {
 *   return update.kind === 'decision' ? `${update.decision} ${update.approvalId}` : update.kind;
 * }
 * ```
 */
export type TelegramUpdate = TelegramStart | TelegramDecision | TelegramIgnored;

/** What parsing needs from the provider. */
export interface _ParseContext {
  botUsername: string;
  /** Now, in milliseconds. */
  now: number;
  maxAgeSeconds: number;
}

/** Start parameters: 1–64 of these in the Bot API; `startLink` makes 16–64. */
export const _START_TOKEN: RegExp = /^[A-Za-z0-9_-]{16,64}$/;
/** `/start`, optionally `@botname`, then the parameter. */
const START_COMMAND = /^\/start(?:@([A-Za-z0-9_]+))?[ \t]+(\S+)\s*$/;

type Json = Record<string, unknown>;

const malformed = (field: string, expectation: string): SecondFactorError =>
  new SecondFactorError('invalid_argument', `body.${field} ${expectation}`);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(parent: Json, key: string, path: string): Json {
  const value = parent[key];
  if (!isObject(value)) throw malformed(`${path}${key}`, 'must be an object');
  return value;
}

function integer(parent: Json, key: string, path: string): number {
  const value = parent[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw malformed(`${path}${key}`, 'must be an integer');
  }
  return value;
}

function optionalString(parent: Json, key: string, path: string): string | undefined {
  const value = parent[key];
  if (value !== undefined && typeof value !== 'string') throw malformed(`${path}${key}`, 'must be a string');
  return value;
}

/** The JSON object of a body given as text, bytes or already parsed. */
function readBody(body: unknown): Json {
  let value = body;
  if (body instanceof Uint8Array) {
    try {
      value = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      throw new SecondFactorError('invalid_argument', 'body must be UTF-8 JSON');
    }
  }
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new SecondFactorError('invalid_argument', 'body must be JSON');
    }
  }
  if (!isObject(value))
    throw new SecondFactorError('invalid_argument', 'body must be a Telegram Update object');
  return value;
}

/** A message's chat and date, as both update kinds carry them. */
function readMessage(message: Json, path: string): { chatId: number; chatType: string; date: number } {
  const chat = object(message, 'chat', path);
  integer(message, 'message_id', path);
  const chatType = chat.type;
  if (typeof chatType !== 'string') throw malformed(`${path}chat.type`, 'must be a string');
  return { chatId: integer(chat, 'id', `${path}chat.`), chatType, date: integer(message, 'date', path) };
}

const isStale = (date: number, context: _ParseContext): boolean =>
  date * 1000 < context.now - context.maxAgeSeconds * 1000;

function readStart(updateId: number, message: Json, context: _ParseContext): TelegramUpdate {
  const { chatId, chatType, date } = readMessage(message, 'message.');
  const text = optionalString(message, 'text', 'message.');
  const ignored = (reason: TelegramIgnoredReason): TelegramIgnored => ({ kind: 'ignored', updateId, reason });
  if (chatType !== 'private') return ignored('not_private_chat');
  // A private chat's id is its user's, a positive number.
  if (chatId <= 0) throw malformed('message.chat.id', 'must be positive in a private chat');
  const command = text === undefined ? null : START_COMMAND.exec(text);
  if (command === null) return ignored('not_a_start_command');
  const addressee = command[1];
  if (addressee !== undefined && addressee.toLowerCase() !== context.botUsername.toLowerCase()) {
    return ignored('not_a_start_command');
  }
  const startToken = command[2]!;
  if (!_START_TOKEN.test(startToken)) return ignored('invalid_start_token');
  if (isStale(date, context)) return ignored('stale');
  return { kind: 'start', updateId, chatId, startToken };
}

function readCallback(updateId: number, query: Json, context: _ParseContext): TelegramUpdate {
  const path = 'callback_query.';
  const callbackQueryId = optionalString(query, 'id', path);
  if (callbackQueryId === undefined || callbackQueryId === '')
    throw malformed(`${path}id`, 'must be a string');
  const fromId = integer(object(query, 'from', path), 'id', `${path}from.`);
  const data = optionalString(query, 'data', path);
  const ignored = (reason: TelegramIgnoredReason): TelegramIgnored => ({
    kind: 'ignored',
    updateId,
    reason,
    callbackQueryId,
  });
  // A button on an inline-mode message has no `message`; approval messages always have one.
  if (query.message === undefined) return ignored('unsupported_update');
  const message = object(query, 'message', path);
  const { chatId, chatType, date } = readMessage(message, `${path}message.`);
  if (chatType !== 'private') return ignored('not_private_chat');
  if (fromId !== chatId) return ignored('sender_mismatch');
  const button = data === undefined ? undefined : _readCallbackData(data);
  if (button === undefined) return ignored('unknown_button');
  // An approval message older than 48 hours comes as an InaccessibleMessage with date 0: stale.
  if (isStale(date, context)) return ignored('stale');
  const messageId = message.message_id as number;
  return { kind: 'decision', updateId, chatId, messageId, callbackQueryId, ...button };
}

/** Reads a webhook body; the caller has already checked the secret header. */
export function _parseUpdateBody(body: unknown, context: _ParseContext): TelegramUpdate {
  const update = readBody(body);
  const updateId = integer(update, 'update_id', '');
  if (updateId < 0) throw malformed('update_id', 'must not be negative');
  // An update carries exactly one of its optional parts; two at once is not Telegram's.
  if (update.message !== undefined && update.callback_query !== undefined) {
    throw malformed('callback_query', 'must not come with a message in one update');
  }
  if (update.message !== undefined) return readStart(updateId, object(update, 'message', ''), context);
  if (update.callback_query !== undefined) {
    return readCallback(updateId, object(update, 'callback_query', ''), context);
  }
  return { kind: 'ignored', updateId, reason: 'unsupported_update' };
}
