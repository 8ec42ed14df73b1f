/**
 * @module
 * The Telegram push-approval provider: deep links that link a chat to a user, approval messages with
 * Approve / Deny buttons, and the webhook's updates read back into link requests and decisions.
 *
 * What stays with the host (the service): which chat belongs to which user, which approval ids are
 * pending for which login, accepting each decision once, and refusing an `updateId` at or below the last
 * one it processed. The provider authenticates the sender (the secret header) and reads the update; it
 * keeps no state.
 */

import { checkFunction, invalidArgument } from '../checks';
import type { FetchLike } from '../sms/http';
import { _callBotApi, _readAny, _readMessageId } from './bot-api';
import { _approvalMessage, type TelegramApproval } from './message';
import { _parseUpdateBody, _START_TOKEN, type TelegramDecision, type TelegramUpdate } from './update';
import { _checkWebhookSecret, _verifyWebhookSecret, type TelegramHeaders } from './webhook-secret';

/**
 * Options of {@link createTelegramProvider}.
 *
 * @example
 * ```ts
 * import type { TelegramProviderOptions } from '@secondfactor/channels';
 *
 * const options: TelegramProviderOptions = {
 *   token: process.env.TELEGRAM_BOT_TOKEN ?? '',
 *   botUsername: 'AcmeLoginBot',
 *   webhookSecret: process.env.TELEGRAM_WEBHOOK_SECRET ?? '',
 * };
 * ```
 */
export interface TelegramProviderOptions {
  /** The bot token from `@BotFather` (`<bot id>:<secret>`). Never logged, never put in an error. */
  token: string;
  /** The bot's username, without `@` (`AcmeLoginBot`): deep links point at it. */
  botUsername: string;
  /**
   * The `secret_token` given to `setWebhook`, 16–256 characters of `A–Z a–z 0–9 _ -`; every update must
   * carry it in the `X-Telegram-Bot-Api-Secret-Token` header.
   */
  webhookSecret: string;
  /**
   * Where the Bot API is: a local Bot API server, a proxy, a test server.
   * @default 'https://api.telegram.org'
   */
  apiBaseUrl?: string | undefined;
  /** @default globalThis.fetch */
  fetch?: FetchLike | undefined;
  /**
   * Now, in milliseconds since the Unix epoch; decides which updates are stale.
   * @default Date.now
   */
  clock?: (() => number) | undefined;
  /**
   * Updates whose message is older than this are ignored as `stale` (a webhook delivery Telegram retried
   * long after, a button pressed on an old approval). The default matches the 10-minute limit on pending
   * logins (checklist I3).
   * @default 600
   */
  maxAgeSeconds?: number | undefined;
  /**
   * How long one Bot API call may take before it fails with `delivery_failed`.
   * @default 10000
   */
  timeoutMs?: number | undefined;
}

/**
 * A Telegram bot that links chats and asks them to approve sign-ins. Made by {@link createTelegramProvider}.
 *
 * @example
 * ```ts
 * import { createTelegramProvider, type TelegramProvider } from '@secondfactor/channels';
 *
 * const telegram: TelegramProvider = createTelegramProvider({ token, botUsername, webhookSecret });
 * ```
 */
export interface TelegramProvider {
  /**
   * The deep link `https://t.me/<botUsername>?start=<token>` that opens the bot and sends it
   * `/start <token>`. `token` is the host's one-time linking token, 16–64 characters of `A–Z a–z 0–9 _ -`.
   *
   * @throws {SecondFactorError} `invalid_argument` for another token.
   */
  startLink(token: string): string;
  /**
   * Sends the approval message with its Approve / Deny buttons to `chatId`.
   *
   * @throws {SecondFactorError} `invalid_argument` for a bad chat id or approval; `delivery_failed` when
   * the Bot API refuses (detail `errorCode`: 403 when the user blocked the bot, 400 for an unknown chat).
   */
  sendApproval(chatId: number, approval: TelegramApproval): Promise<{ messageId: number }>;
  /**
   * Authenticates a webhook request by its secret header, then reads its body (a string, UTF-8 bytes or
   * the parsed JSON). Answer the webhook with 200 for every result, `ignored` included.
   *
   * @throws {SecondFactorError} `unauthenticated` when the secret header is missing or wrong (checked
   * first, in constant time); `invalid_argument` for a body Telegram would not send.
   */
  parseUpdate(headers: TelegramHeaders, body: unknown): TelegramUpdate;
  /**
   * Answers the button press (`answerCallbackQuery`) with a short notice, at most 200 characters.
   *
   * @throws {SecondFactorError} `invalid_argument` for a bad text; `delivery_failed` when the Bot API refuses.
   */
  answerDecision(update: Pick<TelegramDecision, 'callbackQueryId'>, text: string): Promise<void>;
  /**
   * Replaces the approval message's text with `text` (plain text, 1–4096 characters) and removes its
   * buttons (`editMessageText`), so it cannot be pressed again.
   *
   * @throws {SecondFactorError} `invalid_argument` for a bad argument; `delivery_failed` when the Bot API refuses.
   */
  closeApproval(chatId: number, messageId: number, text: string): Promise<void>;
}

const TOKEN = /^[0-9]{1,20}:[A-Za-z0-9_-]{1,200}$/;
/** Telegram usernames: 5–32 characters, letters, digits and `_`, starting with a letter. */
const USERNAME = /^[A-Za-z][A-Za-z0-9_]{4,31}$/;

function checkApiBaseUrl(value: unknown): string {
  if (value === undefined) return 'https://api.telegram.org';
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '') {
    throw invalidArgument('options.apiBaseUrl', 'must be an http(s) URL without a query');
  }
  return url.href.replace(/\/+$/, '');
}

function checkWholeNumber(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw invalidArgument(name, 'must be a whole number ≥ 1');
  }
  return value;
}

function checkChatId(value: unknown, name = 'chatId'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw invalidArgument(name, 'must be an integer');
  return value;
}

function checkText(value: unknown, name: string, min: number, max: number): string {
  if (typeof value !== 'string' || value.length < min || value.length > max) {
    throw invalidArgument(name, `must be a string of ${min}-${max} characters`);
  }
  return value;
}

/**
 * Makes a {@link TelegramProvider} for one bot. The options are checked here; nothing is sent until a
 * method is called. Register the webhook yourself, once, with the same secret (`setWebhook` with
 * `secret_token`, see the README).
 *
 * @throws {SecondFactorError} `invalid_argument` naming the option at fault (never quoting the token).
 *
 * @example
 * ```ts
 * import { createTelegramProvider } from '@secondfactor/channels';
 *
 * const telegram = createTelegramProvider({
 *   token: process.env.TELEGRAM_BOT_TOKEN ?? '',
 *   botUsername: 'AcmeLoginBot',
 *   webhookSecret: process.env.TELEGRAM_WEBHOOK_SECRET ?? '',
 * });
 * telegram.startLink('q8Zr2LmXw0Yc4TbN'); // 'https://t.me/AcmeLoginBot?start=q8Zr2LmXw0Yc4TbN'
 * const { messageId } = await telegram.sendApproval(42, {
 *   approvalId: 'k3Jd9_Qx2mVb7LpA',
 *   issuer: 'Acme',
 *   at: Date.now(),
 *   ip: '203.0.113.7',
 *   device: 'Firefox 128 on Linux',
 * });
 * ```
 */
export function createTelegramProvider(options: TelegramProviderOptions): TelegramProvider {
  if (typeof options !== 'object' || options === null) throw invalidArgument('options', 'must be an object');
  const { token, botUsername } = options;
  if (typeof token !== 'string' || !TOKEN.test(token)) {
    throw invalidArgument('options.token', 'must be a bot token (<bot id>:<secret>)');
  }
  if (typeof botUsername !== 'string' || !USERNAME.test(botUsername)) {
    throw invalidArgument('options.botUsername', 'must be a Telegram username without @');
  }
  const webhookSecret = _checkWebhookSecret(options.webhookSecret);
  const fetch = checkFunction<FetchLike>(options.fetch, 'options.fetch', (url, init) =>
    globalThis.fetch(url, init),
  );
  const clock = checkFunction<() => number>(options.clock, 'options.clock', Date.now);
  const maxAgeSeconds = checkWholeNumber(options.maxAgeSeconds, 'options.maxAgeSeconds', 600);
  const target = {
    base: `${checkApiBaseUrl(options.apiBaseUrl)}/bot${token}`,
    token,
    fetch,
    timeoutMs: checkWholeNumber(options.timeoutMs, 'options.timeoutMs', 10_000),
  };

  return {
    startLink(startToken) {
      if (typeof startToken !== 'string' || !_START_TOKEN.test(startToken)) {
        throw invalidArgument('token', 'must be 16-64 characters of A-Z a-z 0-9 _ -');
      }
      return `https://t.me/${botUsername}?start=${startToken}`;
    },

    async sendApproval(chatId, approval) {
      const params = _approvalMessage(checkChatId(chatId), approval);
      const messageId = await _callBotApi(target, 'sendMessage', params, _readMessageId);
      return { messageId };
    },

    parseUpdate(headers, body) {
      _verifyWebhookSecret(headers, webhookSecret);
      const now = clock();
      if (typeof now !== 'number' || !Number.isFinite(now)) {
        throw invalidArgument('options.clock()', 'must return a time in milliseconds');
      }
      return _parseUpdateBody(body, { botUsername, now, maxAgeSeconds });
    },

    async answerDecision(update, text) {
      const callbackQueryId = (update as { callbackQueryId?: unknown } | null)?.callbackQueryId;
      if (typeof callbackQueryId !== 'string' || callbackQueryId === '') {
        throw invalidArgument('update.callbackQueryId', 'must be a non-empty string');
      }
      const params = { callback_query_id: callbackQueryId, text: checkText(text, 'text', 0, 200) };
      await _callBotApi(target, 'answerCallbackQuery', params, _readAny);
    },

    async closeApproval(chatId, messageId, text) {
      const params = {
        chat_id: checkChatId(chatId),
        message_id: checkChatId(messageId, 'messageId'),
        text: checkText(text, 'text', 1, 4096),
        reply_markup: { inline_keyboard: [] },
      };
      await _callBotApi(target, 'editMessageText', params, _readAny);
    },
  };
}
