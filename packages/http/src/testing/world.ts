/**
 * @module
 * One host under test: a service over a memory store on an injected clock, with memory e-mail, SMS and
 * voice providers and a Telegram bot talking to a local Bot API server, every event captured, started by
 * the adapter's `start` on a loopback port; browsers to talk to it; codes as the user's app and inbox
 * show them.
 */
import { createHash } from 'node:crypto';
import {
  createTelegramProvider,
  type MemoryEmailChannel,
  type MemorySmsProvider,
  type MemoryVoiceProvider,
  memoryEmailChannel,
  memorySmsProvider,
  memoryVoiceProvider,
} from '@secondfactor/channels';
import { type BotApiServer, startBotApiServer } from '@secondfactor/channels/testing';
import { base32Decode, totp } from '@secondfactor/core';
import type { PolicyConfig } from '@secondfactor/policy';
import type { TwoFactor, TwoFactorEvent, TwoFactorUser } from '@secondfactor/service';
import type { SecondFactorHttpOptions } from '../options';
import { Browser, type Reply } from './client';
import { memoryTwoFactor } from './two-factor';

/**
 * A user the host knows: what it passes to `startSecondFactor`, and his verified e-mail address.
 *
 * @example
 * ```ts
 * import type { ConformanceUser } from '@secondfactor/http/testing';
 *
 * const ada: ConformanceUser = { id: 'ada', roles: [], email: 'ada@example.com' };
 * ```
 */
export interface ConformanceUser extends TwoFactorUser {
  email?: string | undefined;
}

/**
 * What the adapter's `start` gets: serve these options and these users.
 *
 * @example
 * ```ts
 * import type { ConformanceHost } from '@secondfactor/http/testing';
 *
 * const start = async (host: ConformanceHost) => startApp(secondFactor(host.options), host.users);
 * ```
 */
export interface ConformanceHost {
  /** The options to give the adapter (they include the service). */
  options: SecondFactorHttpOptions;
  /** The host's users by id, for its password step. */
  users: ReadonlyMap<string, ConformanceUser>;
}

/**
 * A running app.
 *
 * @example
 * ```ts
 * import type { ConformanceApp } from '@secondfactor/http/testing';
 *
 * const app: ConformanceApp = { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
 * ```
 */
export interface ConformanceApp {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

/**
 * What an adapter's test gives {@link runHttpConformance}: its name, the session cookie's name, and a
 * function that starts an app on a loopback port serving, besides the router under `/2fa`:
 *
 * - `POST /password` `{ userId }`: the host's password step: 401 for an unknown id, otherwise
 *   `startSecondFactor(request, { id, roles, tenantId }, { email })` answered as JSON;
 * - `POST /logout`: ends the session (204);
 * - `GET /protected` behind `requireSecondFactor()` and `GET /sensitive` behind
 *   `requireRecentSecondFactor(RECENT_MS)`, each answering `{ "ok": true }`.
 *
 * {@link hostRoutes} makes the password step and the guarded routes of an adapter, and
 * {@link serveOnLoopback} serves the app; the session, the sign-out and the mounting are the framework's.
 *
 * @example
 * ```ts
 * import type { HttpConformanceTarget } from '@secondfactor/http/testing';
 *
 * const target: HttpConformanceTarget = { name: 'Koa 3', sessionCookie: 'koa.sess', start: startKoaApp };
 * ```
 */
export interface HttpConformanceTarget {
  name: string;
  sessionCookie: string;
  start(host: ConformanceHost): Promise<ConformanceApp>;
}

/**
 * The age of a second factor `GET /sensitive` accepts, in milliseconds.
 *
 * @example
 * ```ts
 * import { RECENT_MS } from '@secondfactor/http/testing';
 *
 * app.get('/sensitive', twoFactorRoutes.requireRecentSecondFactor(RECENT_MS), ok);
 * ```
 */
export const RECENT_MS = 60_000;

export const NOW: number = Date.UTC(2025, 10, 23, 12, 0, 0);
export const STEP_MS = 30_000;
export const BOT_TOKEN = '7301946528:AAHq3xVbN8tZ_kPw2LmRc5YsJd-0fGh1EuQ';
export const WEBHOOK_SECRET = 'wh_7dK2pQ9xLm4vR8sT1nB6';

/** A clock the test moves by hand. */
export interface TestClock {
  (): number;
  advance(ms: number): void;
}

function testClock(): TestClock {
  let time = NOW;
  const clock = (() => time) as TestClock;
  clock.advance = (ms) => {
    time += ms;
  };
  return clock;
}

let seeds = 0;
// Fixed secrets and ids per run, so a test passes or fails the same way every time.
function seededRandom(): (bytes: Uint8Array) => void {
  const seed = `http-conformance-${++seeds}`;
  let counter = 0;
  return (bytes) => {
    for (let at = 0; at < bytes.length; at += 32) {
      const block = createHash('sha256').update(`${seed}/${counter++}`).digest();
      bytes.set(block.subarray(0, Math.min(32, bytes.length - at)), at);
    }
  };
}

/** A host, its service and its providers. */
export interface World {
  url: string;
  clock: TestClock;
  twoFactor: TwoFactor;
  events: TwoFactorEvent[];
  email: MemoryEmailChannel;
  sms: MemorySmsProvider;
  voice: MemoryVoiceProvider;
  bot: BotApiServer;
  /** Every answer any browser of this world received. */
  replies: Reply[];
  browser(): Browser;
  close(): Promise<void>;
}

/** Options of {@link openWorld}. */
export interface WorldOptions {
  policy: PolicyConfig;
  users: readonly ConformanceUser[];
  http?: Omit<SecondFactorHttpOptions, 'twoFactor' | 'clock'> | undefined;
  /** The `Origin` every browser of the world sends on state-changing requests. */
  origin?: string | undefined;
}

/** Starts a host. */
export async function openWorld(target: HttpConformanceTarget, options: WorldOptions): Promise<World> {
  const clock = testClock();
  const bot = await startBotApiServer({ token: BOT_TOKEN, clock });
  const email = memoryEmailChannel();
  const sms = memorySmsProvider();
  const voice = memoryVoiceProvider();
  const events: TwoFactorEvent[] = [];
  const twoFactor = memoryTwoFactor({
    policy: options.policy,
    clock,
    random: seededRandom(),
    onEvent: (event) => {
      events.push(event);
    },
    channels: {
      email,
      sms,
      voice,
      telegram: createTelegramProvider({
        token: BOT_TOKEN,
        botUsername: 'AcmeLoginBot',
        webhookSecret: WEBHOOK_SECRET,
        apiBaseUrl: bot.url,
        clock,
      }),
    },
  });
  const app = await target.start({
    options: {
      trustedDeviceCookie: { secure: false },
      ...options.http,
      twoFactor,
      clock,
    },
    users: new Map(options.users.map((user) => [user.id, user])),
  });
  const replies: Reply[] = [];
  return {
    url: app.url,
    clock,
    twoFactor,
    events,
    email,
    sms,
    voice,
    bot,
    replies,
    browser: () => {
      const browser = new Browser(app.url, replies);
      browser.origin = options.origin;
      return browser;
    },
    close: async () => {
      await app.close();
      await bot.close();
    },
  };
}

/** The code the app set up from `manualKey` shows now. */
export const appCode = (manualKey: string, time: number): string =>
  totp(base32Decode(manualKey.replaceAll(' ', '')), { time });

/** The code in the newest message's text (its first run of `digits` digits standing alone). */
export function codeIn(text: string | undefined, digits = 6): string {
  const match = new RegExp(`(?<!\\d)\\d{${digits}}(?!\\d)`).exec(text ?? '');
  if (match === null) throw new Error('no code in the message');
  return match[0];
}
