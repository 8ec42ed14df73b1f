/**
 * @module
 * The masked name of a linked Telegram chat: a chat id is personal data (it is the user's Telegram id),
 * so lists and events show only its last two digits.
 */

/** `chat ***12` for chat `123456712`. @internal */
export const chatHint = (chatId: string): string => `chat ***${chatId.slice(-2)}`;
