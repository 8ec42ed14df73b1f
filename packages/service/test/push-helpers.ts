/**
 * @module
 * Shared setup of the push-approval tests: a service whose Telegram provider talks to the local Bot API
 * server of `@secondfactor/channels` (in this process, so it is always present), both on the test's
 * clock, every event captured, and the user's side of the bot: open the deep link, press a button.
 */
import { createTelegramProvider, type TelegramProvider } from '@secondfactor/channels';
import { type BotApiServer, startBotApiServer, type Update } from '@secondfactor/channels/testing';
import { type Actor, createPolicy, multiMethod, type PolicyConfig } from '@secondfactor/policy';
import {
  createTwoFactor,
  type SessionHooks,
  type TelegramPush,
  type TelegramUpdateHandled,
  type TwoFactor,
  type TwoFactorEvent,
  telegramPush,
} from '@secondfactor/service';
import { MemoryStore, type SecondFactorStore } from '@secondfactor/store';
import { freshActor, type TestClock, testClock, testServiceOptions } from './fixtures';

export const BOT_TOKEN = '7301946528:AAHq3xVbN8tZ_kPw2LmRc5YsJd-0fGh1EuQ';
export const WEBHOOK_SECRET = 'wh_7dK2pQ9xLm4vR8sT1nB6';
/** The headers Telegram sends with every update. */
export const SIGNED = { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET } as const;

export interface PushHarness {
  twoFactor: TwoFactor;
  push: TelegramPush;
  telegram: TelegramProvider;
  bot: BotApiServer;
  store: SecondFactorStore;
  clock: TestClock;
  events: TwoFactorEvent[];
  close(): Promise<void>;
}

export async function pushHarness(
  options: {
    store?: SecondFactorStore;
    policy?: PolicyConfig;
    clock?: TestClock;
    sessions?: SessionHooks;
  } = {},
): Promise<PushHarness> {
  const store = options.store ?? new MemoryStore();
  const clock = options.clock ?? testClock();
  const bot = await startBotApiServer({ token: BOT_TOKEN, clock });
  const telegram = createTelegramProvider({
    token: BOT_TOKEN,
    botUsername: 'AcmeLoginBot',
    webhookSecret: WEBHOOK_SECRET,
    apiBaseUrl: bot.url,
    clock,
  });
  const events: TwoFactorEvent[] = [];
  const twoFactor = createTwoFactor({
    ...testServiceOptions(clock, events),
    store,
    policy: createPolicy(options.policy ?? multiMethod),
    channels: { telegram },
    sessions: options.sessions,
  });
  return {
    twoFactor,
    push: telegramPush(twoFactor),
    telegram,
    bot,
    store,
    clock,
    events,
    close: () => bot.close(),
  };
}

/** The webhook request Telegram makes for `update`. */
export const deliver = (h: PushHarness, update: Update): Promise<TelegramUpdateHandled> =>
  h.push.handleTelegramUpdate(SIGNED, JSON.stringify(update));

/** The start parameter of a deep link. */
export const startToken = (link: string): string => new URL(link).searchParams.get('start') ?? '';

/**
 * The user, signed in just now as the actor of his own session: with his password, and with a push
 * approval once he has a linked chat (adding a device to an active 2FA asks for a second factor).
 */
export async function signedIn(h: PushHarness, user: { id: string; roles: string[] }): Promise<Actor> {
  const linked = (await h.store.listCredentials(user.id)).some((c) => c.kind === 'push');
  return freshActor(user, h.clock(), linked ? 'push' : null);
}

/** "Link Telegram": the deep link, opened in `chatId`'s Telegram, which sends the bot `/start <token>`. */
export async function linkChat(
  h: PushHarness,
  user: { id: string; roles: string[] },
  chatId: number,
): Promise<TelegramUpdateHandled> {
  const { link } = await h.push.linkTelegram(await signedIn(h, user), {});
  return deliver(h, h.bot.userSends(chatId, `/start ${startToken(link)}`));
}

/** The newest approval message in `chatId` that still has its buttons. */
export function approvalIn(h: PushHarness, chatId: number) {
  const message = h.bot.messages.filter((m) => m.chatId === chatId && m.keyboard.length > 0).at(-1);
  if (message === undefined) throw new Error(`no approval message in chat ${chatId}`);
  return message;
}

/** The update of `chatId`'s user pressing `button` on the newest approval message there. */
export const pressIn = (h: PushHarness, chatId: number, button: 'Approve' | 'Deny'): Update =>
  h.bot.press(approvalIn(h, chatId).messageId, button);
