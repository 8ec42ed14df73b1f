/**
 * @module
 * `telegramPush(twoFactor)`: the Telegram push-approval methods of a service made by `createTwoFactor`
 * with `channels.telegram` — link a chat, send a login's approval, handle the bot's webhook. The login
 * itself stays on the service: `startLogin` offers `push`, and `verifyLogin` with method `push` polls it.
 */
import type { TelegramHeaders } from '@secondfactor/channels';
import type { Actor } from '@secondfactor/policy';
import { invalidArgument } from '../errors';
import type { ServiceContext } from '../options';
import { type LoginApprovalSent, type SendLoginApprovalInput, sendLoginApproval } from './approval';
import {
  type LinkTelegramInput,
  type LinkTelegramStatusInput,
  linkTelegram,
  linkTelegramStatus,
  type TelegramLink,
  type TelegramLinkStatus,
} from './link';
import { handleTelegramUpdate, type TelegramUpdateHandled } from './webhook';

/**
 * Push approval through a Telegram bot. Made by {@link telegramPush}.
 *
 * @example
 * ```ts
 * import { type TelegramPush, telegramPush } from '@secondfactor/service';
 *
 * const push: TelegramPush = telegramPush(twoFactor);
 * ```
 */
export interface TelegramPush {
  /**
   * Starts linking a chat to the actor: the policy decides as for any new device (`canEnroll`,
   * `canAddMethod`, `maxDevices.push`). Answers a one-time deep link, valid for the enrollment lifetime
   * (`enrollmentTtlSeconds`); the chat is linked when the bot receives its `/start`, on the webhook.
   *
   * @throws {SecondFactorError} `invalid_argument` for a bad input or a user id a Telegram start
   * parameter cannot carry (see the README: a lowercase UUID or at most 33 bytes); `challenge_expired`
   * for a `loginId` that is not the actor's pending set-up login; `policy_denied`; `method_not_allowed`
   * without `channels.telegram`.
   *
   * @example
   * ```ts
   * import { telegramPush } from '@secondfactor/service';
   *
   * const { link, expiresAt } = await telegramPush(twoFactor).linkTelegram(actor, { label: 'Phone' });
   * ```
   */
  linkTelegram(actor: Actor, input?: LinkTelegramInput): Promise<TelegramLink>;
  /**
   * Where the actor's link stands, for the page that shows it to poll: `pending`, or `linked` once the bot
   * received the chat's `/start`. The first `linked` answer carries the first backup codes (where the
   * policy issues them and the user had none), the session epoch to keep in the session when linking
   * signed the other sessions out, and, for a link made with `loginId`, the completed login.
   *
   * @throws {SecondFactorError} `invalid_argument` for a bad actor or input; `enrollment_not_found` for a
   * link that is unknown, another user's, or expired before the chat was linked.
   *
   * @example
   * ```ts
   * import { telegramPush } from '@secondfactor/service';
   *
   * const status = await telegramPush(twoFactor).linkTelegramStatus(actor, { linkId });
   * if (status.state === 'linked' && status.login !== null) session.secondFactor = status.login;
   * ```
   */
  linkTelegramStatus(actor: Actor, input: LinkTelegramStatusInput): Promise<TelegramLinkStatus>;
  /**
   * Sends the pending login's Approve / Deny message to the user's linked chats (every one where the
   * policy's `pushToAllDevices` says so, the chosen or oldest one otherwise), with the time, `ip` and
   * `device`. Calling it again sends the same approval again, subject to the send limits. The browser
   * then polls `verifyLogin({ loginId, method: 'push', code: '' })`.
   *
   * @throws {SecondFactorError} `invalid_argument` for a bad input; `challenge_expired` (login over, or
   * approval decided or expired); `not_found` (`device_not_found`) for a `deviceId` that is not one of
   * the user's chats; `method_not_allowed`; `rate_limited`; `delivery_failed` when no chat could be
   * reached.
   *
   * @example
   * ```ts
   * import { telegramPush } from '@secondfactor/service';
   *
   * const sent = await telegramPush(twoFactor).sendLoginApproval({ loginId, ip: '203.0.113.7' });
   * ```
   */
  sendLoginApproval(input: SendLoginApprovalInput): Promise<LoginApprovalSent>;
  /**
   * The bot's webhook: pass the request's headers and body (a string, bytes or parsed JSON). Links a
   * chat on `/start <token>`, decides an approval on a button press (once: a replayed update, a second
   * press, a press from a chat not linked to the login's user change nothing), and answers the press in
   * Telegram.
   *
   * @throws {SecondFactorError} `unauthenticated` for a missing or wrong secret header (answer 401);
   * `invalid_argument` for a body Telegram would not send (answer 400).
   *
   * @example
   * ```ts
   * import { telegramPush } from '@secondfactor/service';
   *
   * const handled = await telegramPush(twoFactor).handleTelegramUpdate(request.headers, rawBody);
   * ```
   */
  handleTelegramUpdate(headers: TelegramHeaders, body: unknown): Promise<TelegramUpdateHandled>;
}

const contexts = new WeakMap<object, ServiceContext>();

/** Remembers the context of a service, for {@link telegramPush}. @internal */
export function registerPushContext(service: object, ctx: ServiceContext): void {
  contexts.set(service, ctx);
}

/**
 * The push-approval methods of `twoFactor`.
 *
 * @throws {SecondFactorError} `invalid_argument` unless `twoFactor` came from `createTwoFactor` with
 * `channels.telegram`.
 *
 * @example
 * ```ts
 * import { createTelegramProvider } from '@secondfactor/channels';
 * import { createTwoFactor, telegramPush } from '@secondfactor/service';
 *
 * const telegram = createTelegramProvider({ token, botUsername: 'AcmeLoginBot', webhookSecret });
 * const twoFactor = createTwoFactor({ ...options, channels: { telegram } });
 * const push = telegramPush(twoFactor);
 * ```
 */
export function telegramPush(twoFactor: object): TelegramPush {
  const ctx = typeof twoFactor === 'object' && twoFactor !== null ? contexts.get(twoFactor) : undefined;
  if (ctx === undefined) throw invalidArgument('twoFactor', 'must come from createTwoFactor');
  if (ctx.telegram === undefined) {
    throw invalidArgument('twoFactor', 'must be created with options.channels.telegram');
  }
  return Object.freeze({
    linkTelegram: (actor: Actor, input?: LinkTelegramInput) => linkTelegram(ctx, actor, input),
    linkTelegramStatus: (actor: Actor, input: LinkTelegramStatusInput) =>
      linkTelegramStatus(ctx, actor, input),
    sendLoginApproval: (input: SendLoginApprovalInput) => sendLoginApproval(ctx, input),
    handleTelegramUpdate: (headers: TelegramHeaders, body: unknown) =>
      handleTelegramUpdate(ctx, headers, body),
  });
}
