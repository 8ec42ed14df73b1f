/**
 * @module
 * `@secondfactor/channels/testing`: a local stand-in for the Telegram Bot API, for the tests of anything
 * that sends through the Telegram provider (the channels, the service, the HTTP conformance suite).
 */
export {
  type BotApiCall,
  type BotApiFailure,
  type BotApiServer,
  type ChatMessage,
  type InlineButton,
  parseTelegramHtml,
  startBotApiServer,
  type Update,
} from './telegram-bot-api-server';
