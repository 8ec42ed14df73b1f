/**
 * @module
 * A local stand-in for the Telegram Bot API on 127.0.0.1 (port 0), speaking the three methods the
 * provider uses — `sendMessage`, `answerCallbackQuery`, `editMessageText` — at `/bot<token>/<method>` with
 * JSON bodies and `{ ok, result }` / `{ ok: false, error_code, description }` replies, as Telegram does.
 *
 * It is as strict as Telegram where the provider could go wrong: a wrong token is 401; a chat that never
 * started the bot is 400 "chat not found", a chat that blocked it 403; HTML-style text is parsed like
 * Telegram's HTML mode (unknown tags, unbalanced tags and bare `<`, `>`, `&` are 400 "can't parse
 * entities"), and `callback_data` over 64 bytes is 400 BUTTON_DATA_INVALID. Every call is recorded, the
 * messages are kept as a chat would show them, and a test builds the updates Telegram would post to the
 * webhook: a `/start` message, or a press on one of a message's buttons.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One request the server received, as {@link BotApiServer.calls} records it.
 *
 * @example
 * ```ts
 * import type { BotApiCall } from '@secondfactor/channels/testing';
 *
 * const sent: BotApiCall[] = bot.calls.filter((call) => call.method === 'sendMessage');
 * ```
 */
export interface BotApiCall {
  method: string;
  params: Record<string, unknown>;
  /** The HTTP status the server answered with. */
  status: number;
}

/**
 * A button of a message's inline keyboard, as the bot sent it.
 *
 * @example
 * ```ts
 * import type { InlineButton } from '@secondfactor/channels/testing';
 *
 * const approve: InlineButton | undefined = bot.messages[0]?.keyboard.flat()[0];
 * ```
 */
export interface InlineButton {
  text: string;
  callback_data?: string | undefined;
}

/**
 * A message the bot sent, as the chat shows it (edits applied).
 *
 * @example
 * ```ts
 * import type { ChatMessage } from '@secondfactor/channels/testing';
 *
 * const last: ChatMessage | undefined = bot.messages.at(-1);
 * expect(last?.shownText).toContain('Approve');
 * ```
 */
export interface ChatMessage {
  chatId: number;
  messageId: number;
  /** Unix seconds, from the server's clock. */
  date: number;
  /** The text as sent (HTML markup included when `parseMode` is HTML). */
  text: string;
  parseMode: string | undefined;
  /** What the user sees: tags removed, entities decoded. */
  shownText: string;
  keyboard: InlineButton[][];
}

/**
 * An error the server answers instead of running a method ({@link BotApiServer.failNext}).
 *
 * @example
 * ```ts
 * import type { BotApiFailure } from '@secondfactor/channels/testing';
 *
 * const flood: BotApiFailure = { status: 429, description: 'Too Many Requests: retry after 5', retryAfter: 5 };
 * ```
 */
export interface BotApiFailure {
  status: number;
  description: string;
  retryAfter?: number | undefined;
}

/**
 * A running server: its URL, what it received and sent, and the user's side of the chat. Made by
 * {@link startBotApiServer}.
 *
 * @example
 * ```ts
 * import { type BotApiServer, startBotApiServer } from '@secondfactor/channels/testing';
 *
 * const bot: BotApiServer = await startBotApiServer({ token, clock });
 * const update = bot.userSends(4242, '/start abc'); // post it to the webhook
 * await bot.close();
 * ```
 */
export interface BotApiServer {
  /** The `apiBaseUrl` to give the provider. */
  url: string;
  /** Every request, in order. */
  calls: BotApiCall[];
  /** The messages the bot sent, with edits applied. */
  messages: ChatMessage[];
  /** The callback query ids answered, with their text. */
  answers: { callbackQueryId: string; text: string | undefined }[];
  /** A user opens the bot in a private chat (so the bot may write to it) and sends `text`. */
  userSends(
    chatId: number,
    text: string,
    options?: { chatType?: string | undefined; fromId?: number | undefined },
  ): Update;
  /** The user blocks the bot: further messages to the chat are 403. */
  block(chatId: number): void;
  /** The next call of `method` fails with this error instead of running. */
  failNext(method: string, failure: BotApiFailure): void;
  /** The update Telegram posts when `fromId` (default: the chat's user) presses a button of a message. */
  press(messageId: number, buttonText: string, options?: { fromId?: number | undefined }): Update;
  close(): Promise<void>;
}

/**
 * An update as Telegram posts it to the webhook: a JSON object with its `update_id`.
 *
 * @example
 * ```ts
 * import type { Update } from '@secondfactor/channels/testing';
 *
 * const update: Update = bot.press(messageId, 'Approve');
 * ```
 */
export type Update = Record<string, unknown> & { update_id: number };

type Json = Record<string, unknown>;

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly retryAfter?: number,
  ) {
    super(description);
  }
}

const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'a',
  'code',
  'pre',
  'tg-spoiler',
]);
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/**
 * Telegram's HTML parse mode, strictly: returns the text shown, or throws the 400 Telegram gives.
 *
 * @throws {Error} "can't parse entities" for an unknown or unbalanced tag, a bare `<`, `>` or `&`.
 * @example
 * ```ts
 * import { parseTelegramHtml } from '@secondfactor/channels/testing';
 *
 * parseTelegramHtml('<b>Sign in</b> &amp; approve'); // 'Sign in & approve'
 * ```
 */
export function parseTelegramHtml(html: string): string {
  function fail(what: string, at: number): never {
    throw new ApiError(400, `Bad Request: can't parse entities: ${what} at byte offset ${at}`);
  }
  const open: string[] = [];
  let shown = '';
  let i = 0;
  while (i < html.length) {
    const c = html[i]!;
    if (c === '<') {
      const end = html.indexOf('>', i);
      if (end < 0) fail('Unclosed start tag', i);
      const tag = /^<(\/?)([a-z-]+)(?:\s+href="[^"<>]*")?\s*$/.exec(html.slice(i, end));
      if (tag === null || !TAGS.has(tag[2]!)) fail('Unsupported start tag', i);
      if (tag[1] === '/') {
        if (open.pop() !== tag[2]) fail(`Can't find end tag corresponding to start tag`, i);
      } else {
        open.push(tag[2]!);
      }
      i = end + 1;
    } else if (c === '&') {
      const entity = /^&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-z]+);/.exec(html.slice(i));
      const name = entity?.[1];
      if (entity === null || name === undefined) fail('Unsupported entity', i);
      if (name.startsWith('#x')) shown += String.fromCodePoint(Number.parseInt(name.slice(2), 16));
      else if (name.startsWith('#')) shown += String.fromCodePoint(Number(name.slice(1)));
      else if (ENTITIES[name] !== undefined) shown += ENTITIES[name];
      else fail('Unsupported entity', i);
      i += entity[0].length;
    } else if (c === '>') {
      fail('Unexpected end tag', i);
    } else {
      shown += c;
      i += 1;
    }
  }
  if (open.length > 0) fail(`Can't find end tag corresponding to start tag "${open.at(-1)}"`, html.length);
  return shown;
}

function readKeyboard(markup: unknown): InlineButton[][] {
  if (markup === undefined) return [];
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (!Array.isArray(rows)) throw new ApiError(400, 'Bad Request: REPLY_MARKUP_INVALID');
  return rows.map((row: unknown) => {
    if (!Array.isArray(row)) throw new ApiError(400, 'Bad Request: REPLY_MARKUP_INVALID');
    return row.map((button: unknown) => {
      const { text, callback_data } = (button ?? {}) as Json;
      if (typeof text !== 'string' || text === '')
        throw new ApiError(400, 'Bad Request: BUTTON_TEXT_INVALID');
      if (
        typeof callback_data !== 'string' ||
        Buffer.byteLength(callback_data) > 64 ||
        callback_data === ''
      ) {
        throw new ApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
      }
      return { text, callback_data };
    });
  });
}

function readText(params: Json): { text: string; parseMode: string | undefined; shownText: string } {
  const { text, parse_mode } = params;
  if (typeof text !== 'string') throw new ApiError(400, 'Bad Request: message text is empty');
  if (parse_mode !== undefined && parse_mode !== 'HTML')
    throw new ApiError(400, 'Bad Request: unsupported parse_mode');
  const shownText = parse_mode === 'HTML' ? parseTelegramHtml(text) : text;
  if (shownText.trim() === '') throw new ApiError(400, 'Bad Request: message text is empty');
  if (shownText.length > 4096) throw new ApiError(400, 'Bad Request: message is too long');
  return { text, parseMode: parse_mode, shownText };
}

async function readJson(request: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (!String(request.headers['content-type']).startsWith('application/json')) {
    throw new ApiError(400, 'Bad Request: expected a JSON body');
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
  } catch {}
  throw new ApiError(400, 'Bad Request: expected a JSON body');
}

/**
 * Starts the server for the bot `token` on 127.0.0.1 (port 0); `clock` (milliseconds) dates the messages.
 *
 * @example
 * ```ts
 * import { createTelegramProvider } from '@secondfactor/channels';
 * import { startBotApiServer } from '@secondfactor/channels/testing';
 *
 * const bot = await startBotApiServer({ token, clock });
 * const telegram = createTelegramProvider({ token, botUsername: 'AcmeLoginBot', webhookSecret, apiBaseUrl: bot.url });
 * ```
 */
export async function startBotApiServer(options: {
  token: string;
  clock?: (() => number) | undefined;
}): Promise<BotApiServer> {
  const clock = options.clock ?? Date.now;
  const seconds = (): number => Math.floor(clock() / 1000);
  const calls: BotApiCall[] = [];
  const messages: ChatMessage[] = [];
  const answers: BotApiServer['answers'] = [];
  const chats = new Map<number, { type: string; blocked: boolean }>();
  const failures = new Map<string, BotApiFailure>();
  const openQueries = new Set<string>();
  let nextUpdateId = 500_000;
  let nextMessageId = 1;
  let nextQueryId = 1;

  const messageObject = (message: ChatMessage): Json => ({
    message_id: message.messageId,
    date: message.date,
    chat: { id: message.chatId, type: chats.get(message.chatId)?.type ?? 'private' },
    from: { id: 777, is_bot: true, first_name: 'Bot' },
    text: message.shownText,
    ...(message.keyboard.length === 0 ? {} : { reply_markup: { inline_keyboard: message.keyboard } }),
  });

  const methods: Record<string, (params: Json) => unknown> = {
    sendMessage(params) {
      const chatId = params.chat_id;
      const chat = typeof chatId === 'number' ? chats.get(chatId) : undefined;
      if (chat === undefined) throw new ApiError(400, 'Bad Request: chat not found');
      if (chat.blocked) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
      const message: ChatMessage = {
        chatId: chatId as number,
        messageId: nextMessageId++,
        date: seconds(),
        ...readText(params),
        keyboard: readKeyboard(params.reply_markup),
      };
      messages.push(message);
      return messageObject(message);
    },
    answerCallbackQuery(params) {
      const id = params.callback_query_id;
      if (typeof id !== 'string' || !openQueries.delete(id)) {
        throw new ApiError(
          400,
          'Bad Request: query is too old and response timeout expired or query ID is invalid',
        );
      }
      const text = params.text;
      if (text !== undefined && (typeof text !== 'string' || text.length > 200)) {
        throw new ApiError(400, 'Bad Request: MESSAGE_TOO_LONG');
      }
      answers.push({ callbackQueryId: id, text });
      return true;
    },
    editMessageText(params) {
      const message = messages.find((m) => m.chatId === params.chat_id && m.messageId === params.message_id);
      if (message === undefined) throw new ApiError(400, 'Bad Request: message to edit not found');
      Object.assign(message, readText(params), { keyboard: readKeyboard(params.reply_markup) });
      return messageObject(message);
    },
  };

  const reply = (response: ServerResponse, status: number, body: Json): void => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };

  const server = createServer((request, response) => {
    void (async () => {
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(request.url ?? '');
      let method = match?.[2] ?? '';
      let params: Json = {};
      try {
        if (request.method !== 'POST' || match === null) throw new ApiError(404, 'Not Found');
        if (match[1] !== options.token) throw new ApiError(401, 'Unauthorized');
        const handler = methods[method];
        if (handler === undefined) throw new ApiError(404, 'Not Found');
        params = await readJson(request);
        const failure = failures.get(method);
        if (failure !== undefined) {
          failures.delete(method);
          throw new ApiError(failure.status, failure.description, failure.retryAfter);
        }
        const result = handler(params);
        calls.push({ method, params, status: 200 });
        reply(response, 200, { ok: true, result });
      } catch (error) {
        const e = error instanceof ApiError ? error : new ApiError(500, 'Internal Server Error');
        method ||= request.url ?? '';
        calls.push({ method, params, status: e.status });
        reply(response, e.status, {
          ok: false,
          error_code: e.status,
          description: e.description,
          ...(e.retryAfter === undefined ? {} : { parameters: { retry_after: e.retryAfter } }),
        });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    messages,
    answers,
    userSends(chatId, text, { chatType = 'private', fromId = chatId } = {}) {
      if (!chats.has(chatId)) chats.set(chatId, { type: chatType, blocked: false });
      return {
        update_id: nextUpdateId++,
        message: {
          message_id: nextMessageId++,
          date: seconds(),
          chat: { id: chatId, type: chatType },
          from: { id: fromId, is_bot: false, first_name: 'Ada' },
          text,
          ...(text.startsWith('/')
            ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] }
            : {}),
        },
      };
    },
    block(chatId) {
      const chat = chats.get(chatId);
      if (chat !== undefined) chat.blocked = true;
    },
    failNext(method, failure) {
      failures.set(method, failure);
    },
    press(messageId, buttonText, { fromId } = {}) {
      const message = messages.find((m) => m.messageId === messageId);
      const button = message?.keyboard.flat().find((b) => b.text === buttonText);
      if (message === undefined || button === undefined) {
        throw new Error(`message ${messageId} shows no button "${buttonText}"`);
      }
      const id = `${port}${nextQueryId++}`;
      openQueries.add(id);
      return {
        update_id: nextUpdateId++,
        callback_query: {
          id,
          from: { id: fromId ?? message.chatId, is_bot: false, first_name: 'Ada' },
          message: messageObject(message),
          chat_instance: `-${message.chatId}77`,
          data: button.callback_data,
        },
      };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
