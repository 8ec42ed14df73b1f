/**
 * @module
 * `@secondfactor/channels`: how out-of-band second factors reach the user — e-mail codes over SMTP, SMS,
 * voice flash calls with an SMS fallback, and Telegram push approval — each a pluggable provider, with
 * console and in-memory providers for development and tests.
 */
export { isEmailAddress } from './email/address';
export {
  createEmailChannel,
  type EmailChannelOptions,
  type EmailSender,
  type EmailTransport,
  type SmtpEmailChannel,
  type SmtpSettings,
} from './email/channel';
export { type ConsoleEmailChannelOptions, consoleEmailChannel } from './email/console';
export {
  type MemoryEmailChannel,
  type MemoryEmailChannelOptions,
  memoryEmailChannel,
  type SentEmail,
} from './email/memory';
export { defaultNoticeTemplate, type NoticeTemplate } from './email/notice';
export {
  defaultEmailTemplate,
  type EmailContent,
  type EmailTemplate,
  type EmailTemplates,
} from './email/templates';
export { escapeHtml } from './html';
export { createOutbox, type Outbox, type OutboxOptions } from './outbox';
export { assertE164, isE164 } from './phone';
export { type ConsoleSmsProviderOptions, consoleSmsProvider } from './sms/console';
export { type FetchLike, type HttpSmsProviderOptions, httpSmsProvider } from './sms/http';
export {
  type MemorySmsProvider,
  type MemorySmsProviderOptions,
  memorySmsProvider,
  type SmsMessage,
} from './sms/memory';
export {
  MIN_SMS_SECRET_BYTES,
  SMS_SIGNATURE_HEADER,
  type SmsSignatureResult,
  signSmsRequest,
  type VerifySmsSignatureOptions,
  verifySmsSignature,
} from './sms/signature';
export { type SmsCodeTextOptions, smsCodeText } from './sms/text';
export * from './telegram/index';
export type {
  CodeMessage,
  CodePurpose,
  DeliveryContext,
  EmailChannel,
  NoticeMessage,
  OutboxEntry,
  SmsProvider,
  VoiceProvider,
} from './types';
export {
  callerNumber,
  checkCallerSuffix,
  MAX_CALLER_SUFFIX_DIGITS,
  MIN_CALLER_SUFFIX_DIGITS,
} from './voice/caller';
export { type ConsoleVoiceProviderOptions, consoleVoiceProvider } from './voice/console';
export {
  type FlashCall,
  type MemoryVoiceProvider,
  type MemoryVoiceProviderOptions,
  memoryVoiceProvider,
} from './voice/memory';
