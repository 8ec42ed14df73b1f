/**
 * @module
 * The bot's webhook: the provider authenticates the request by its secret header and reads the update;
 * a `/start <token>` links a chat, a button press decides an approval, anything else is ignored. Answer
 * Telegram with 200 for every result (a refusal included: a retried delivery would be refused again);
 * only `unauthenticated` (a forged or missing secret header) is a 401.
 */
import type { TelegramHeaders, TelegramIgnoredReason } from '@secondfactor/channels';
import type { ServiceContext } from '../options';
import { handleDecision } from './approval';
import { handleStart, telegramOf } from './link';

/**
 * Why an update changed nothing: the provider's reason for an ignored update, or
 * - `link_not_found`: the linking token is unknown, expired or already used (a replayed `/start`);
 * - `already_linked`: the chat is already one of the user's devices;
 * - `too_many_devices`: the user has as many chats as the policy's `maxDevices.push`;
 * - `approval_not_found`: the button names no approval (another service's, or one swept away);
 * - `not_linked`: the chat is not linked to the approval's user;
 * - `already_decided`: the approval was approved or denied before (a replayed update, a second chat);
 * - `expired`: the approval expired.
 *
 * @example
 * ```ts
 * import type { TelegramRefusal } from '@secondfactor/service';
 *
 * const reason: TelegramRefusal = 'already_decided';
 * ```
 */
export type TelegramRefusal =
  | TelegramIgnoredReason
  | 'link_not_found'
  | 'already_linked'
  | 'too_many_devices'
  | 'approval_not_found'
  | 'not_linked'
  | 'already_decided'
  | 'expired';

/**
 * What `handleTelegramUpdate` did: `linked` a chat, `approved` or `denied` a login, or nothing
 * (`refused`, `ignored`, with the reason).
 *
 * @example
 * ```ts
 * import type { TelegramUpdateHandled } from '@secondfactor/service';
 *
 * const handled: TelegramUpdateHandled = await push.handleTelegramUpdate(request.headers, body);
 * if (handled.outcome === 'refused') log.info('telegram update refused', handled.reason);
 * ```
 */
export interface TelegramUpdateHandled {
  outcome: 'linked' | 'approved' | 'denied' | 'refused' | 'ignored';
  reason?: TelegramRefusal | undefined;
}

/** @internal See `TelegramPush.handleTelegramUpdate`. */
export async function handleTelegramUpdate(
  ctx: ServiceContext,
  headers: TelegramHeaders,
  body: unknown,
): Promise<TelegramUpdateHandled> {
  const telegram = telegramOf(ctx);
  const update = telegram.parseUpdate(headers, body);
  if (update.kind === 'start') return handleStart(ctx, update);
  if (update.kind === 'decision') return handleDecision(ctx, update);
  // A press on a stale message is still answered, so the user's button stops spinning.
  const { callbackQueryId } = update;
  if (callbackQueryId !== undefined) {
    await telegram
      .answerDecision({ callbackQueryId }, 'This sign-in request is no longer valid.')
      .catch(() => {});
  }
  return { outcome: 'ignored', reason: update.reason };
}
