/**
 * @module
 * Telegram for the demo. With `TELEGRAM_BOT_TOKEN` the provider talks to the real Bot API and Telegram
 * posts to the webhook (`/2fa/telegram/webhook`). Without it a fake Bot API answers in-process (the
 * provider's `fetch`): it keeps what the bot "sent", and `/dev/telegram` builds the updates Telegram
 * would post — the `/start` of a deep link, a press on Approve or Deny — for a person to follow.
 */
import { randomBytes } from 'node:crypto';
import { createTelegramProvider, type TelegramProvider } from '@secondfactor/channels';
import type { TelegramBotConfig } from './config';

/** A message the bot sent to a chat, with the buttons it shows now. */
export interface FakeBotMessage {
  chatId: number;
  messageId: number;
  /** Unix milliseconds. */
  at: number;
  /** As the chat shows it: markup removed. */
  text: string;
  buttons: { text: string; data: string }[];
}

export interface FakeTelegram {
  /** Newest first. */
  messages(): FakeBotMessage[];
  /** The update Telegram posts when `chatId` opens the bot with `/start <startToken>`. */
  start(chatId: number, startToken: string): Record<string, unknown>;
  /** The update Telegram posts when the chat presses `buttonText` under message `messageId`. */
  press(messageId: number, buttonText: string): Record<string, unknown> | null;
}

export interface DemoTelegram {
  provider: TelegramProvider;
  webhookSecret: string;
  /** Only without a real bot. */
  fake?: FakeTelegram | undefined;
}

const shown = (markup: string): string =>
  markup
    .replace(/<[^>]*>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&');

type Json = Record<string, unknown>;

function fakeBotApi(clock: () => number): {
  fake: FakeTelegram;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
} {
  const messages: FakeBotMessage[] = [];
  let nextMessageId = 1;
  let nextUpdateId = 1;
  let nextQueryId = 1;
  const seconds = () => Math.floor(clock() / 1000);
  const buttonsOf = (markup: unknown): FakeBotMessage['buttons'] => {
    const rows = (markup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined)
      ?.inline_keyboard;
    return (rows ?? []).flat().map((button) => ({ text: button.text, data: button.callback_data ?? '' }));
  };
  const reply = (result: unknown, status = 200) =>
    new Response(
      JSON.stringify(
        status === 200
          ? { ok: true, result }
          : { ok: false, error_code: status, description: String(result) },
      ),
      {
        status,
        headers: { 'content-type': 'application/json' },
      },
    );
  const messageObject = (message: FakeBotMessage) => ({
    message_id: message.messageId,
    date: Math.floor(message.at / 1000),
    chat: { id: message.chatId, type: 'private' },
    text: message.text,
  });

  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const method = url.slice(url.lastIndexOf('/') + 1);
    const params = JSON.parse(String(init.body ?? '{}')) as Json;
    if (method === 'sendMessage') {
      const message: FakeBotMessage = {
        chatId: Number(params.chat_id),
        messageId: nextMessageId++,
        at: clock(),
        text: shown(String(params.text ?? '')),
        buttons: buttonsOf(params.reply_markup),
      };
      messages.push(message);
      return reply(messageObject(message));
    }
    if (method === 'editMessageText') {
      const message = messages.find(
        (m) => m.chatId === Number(params.chat_id) && m.messageId === params.message_id,
      );
      if (message === undefined) return reply('Bad Request: message to edit not found', 400);
      message.text = shown(String(params.text ?? ''));
      message.buttons = buttonsOf(params.reply_markup);
      return reply(messageObject(message));
    }
    if (method === 'answerCallbackQuery') return reply(true);
    return reply('Not Found', 404);
  };

  const fake: FakeTelegram = {
    messages: () => messages.slice().reverse(),
    start: (chatId, startToken) => ({
      update_id: nextUpdateId++,
      message: {
        message_id: nextMessageId++,
        date: seconds(),
        chat: { id: chatId, type: 'private' },
        from: { id: chatId, is_bot: false, first_name: 'Demo' },
        text: `/start ${startToken}`,
        entities: [{ type: 'bot_command', offset: 0, length: 6 }],
      },
    }),
    press: (messageId, buttonText) => {
      const message = messages.find((m) => m.messageId === messageId);
      const button = message?.buttons.find((b) => b.text === buttonText);
      if (message === undefined || button === undefined) return null;
      return {
        update_id: nextUpdateId++,
        callback_query: {
          id: String(nextQueryId++),
          from: { id: message.chatId, is_bot: false, first_name: 'Demo' },
          message: messageObject(message),
          chat_instance: `-${message.chatId}`,
          data: button.data,
        },
      };
    },
  };
  return { fake, fetch };
}

/** The provider of a real bot (`config`), or of the in-process fake. */
export function createDemoTelegram(config: TelegramBotConfig | undefined, clock: () => number): DemoTelegram {
  if (config !== undefined) {
    return { provider: createTelegramProvider({ ...config, clock }), webhookSecret: config.webhookSecret };
  }
  const { fake, fetch } = fakeBotApi(clock);
  const webhookSecret = randomBytes(18).toString('base64url');
  const provider = createTelegramProvider({
    token: '1000000001:DEVELOPMENT-fake-bot-token-not-real',
    botUsername: 'SecondFactorDemoBot',
    webhookSecret,
    apiBaseUrl: 'http://127.0.0.1:9/fake-bot-api',
    fetch,
    clock,
  });
  return { provider, webhookSecret, fake };
}
