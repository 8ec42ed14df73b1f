/**
 * @module
 * The push-approval channel among `createTwoFactor`'s options: a Telegram provider of
 * `@secondfactor/channels`, validated once at creation like the other channels.
 */
import type { TelegramProvider } from '@secondfactor/channels';
import { invalidArgument } from '../errors';

/**
 * The channel of push approval, given as `channels.telegram`. Without it the method `push` is neither
 * offered at login nor linkable.
 *
 * @example
 * ```ts
 * import { createTelegramProvider } from '@secondfactor/channels';
 * import type { PushChannels } from '@secondfactor/service';
 *
 * const channels: PushChannels = {
 *   telegram: createTelegramProvider({ token, botUsername: 'AcmeLoginBot', webhookSecret }),
 * };
 * ```
 */
export interface PushChannels {
  /** Links chats and asks them to approve sign-ins (`createTelegramProvider`). */
  telegram?: TelegramProvider | undefined;
}

const PROVIDER_METHODS = ['startLink', 'sendApproval', 'parseUpdate', 'answerDecision', 'closeApproval'];

/** Validates `options.channels.telegram`. @internal */
export function checkTelegram(channels: unknown): TelegramProvider | undefined {
  if (typeof channels !== 'object' || channels === null) return undefined;
  const telegram: unknown = (channels as Record<string, unknown>).telegram;
  if (telegram === undefined) return undefined;
  const record = telegram as Record<string, unknown> | null;
  if (
    typeof telegram !== 'object' ||
    record === null ||
    PROVIDER_METHODS.some((method) => typeof record[method] !== 'function')
  ) {
    throw invalidArgument('options.channels.telegram', 'must come from createTelegramProvider');
  }
  return telegram as TelegramProvider;
}
