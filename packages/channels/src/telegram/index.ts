/**
 * @module
 * Telegram push approval: link a chat with a deep link, ask it to approve sign-ins, read the webhook.
 */
export type { TelegramApproval } from './message';
export {
  createTelegramProvider,
  type TelegramProvider,
  type TelegramProviderOptions,
} from './provider';
export type {
  TelegramDecision,
  TelegramIgnored,
  TelegramIgnoredReason,
  TelegramStart,
  TelegramUpdate,
} from './update';
export { TELEGRAM_SECRET_HEADER, type TelegramHeaders } from './webhook-secret';
