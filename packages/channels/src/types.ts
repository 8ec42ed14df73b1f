/**
 * @module
 * The contracts every channel of `@secondfactor/channels` implements, shared by the e-mail, SMS, voice
 * and Telegram providers and by hosts that plug in their own gateway.
 */

/**
 * Why a code is sent; the message wording depends on it.
 *
 * @example
 * ```ts
 * import type { CodePurpose } from '@secondfactor/channels';
 *
 * const purpose: CodePurpose = 'login';
 * ```
 */
export type CodePurpose = 'login' | 'verify' | 'disable' | 'change';

/**
 * A code to deliver, with what a message needs to say about it. Never logged by the package.
 *
 * @example
 * ```ts
 * import type { CodeMessage } from '@secondfactor/channels';
 *
 * const message: CodeMessage = { code: '493021', issuer: 'Acme', purpose: 'login', ttlSeconds: 600 };
 * ```
 */
export interface CodeMessage {
  /** The one-time code itself. */
  code: string;
  /** The service name shown to the user ("Acme"). */
  issuer: string;
  /** What the code is for. */
  purpose: CodePurpose;
  /** How long the code stays valid, in seconds. */
  ttlSeconds: number;
  /** The account the code is for (an e-mail address or user name), shown when given. */
  account?: string | undefined;
}

/**
 * Who a delivery is for: the user and, in a multi-tenant host, the tenant whose settings (its own SMTP
 * server, for instance) apply.
 *
 * @example
 * ```ts
 * import type { DeliveryContext } from '@secondfactor/channels';
 *
 * const context: DeliveryContext = { userId: 'u_42', tenantId: 'partner-a' };
 * ```
 */
export interface DeliveryContext {
  /** The user the message is for. */
  userId: string;
  /** The tenant whose settings apply; absent in a single-tenant host. */
  tenantId?: string | undefined;
}

/**
 * A message that carries no code: it tells the user something changed on his account. Sent to the old
 * destination, so a change the owner did not make does not go unnoticed (checklist G9).
 *
 * @example
 * ```ts
 * import type { NoticeMessage } from '@secondfactor/channels';
 *
 * const notice: NoticeMessage = { kind: 'address_changed', issuer: 'Acme', method: 'email', at: 1777636800000 };
 * ```
 */
export interface NoticeMessage {
  /** `address_changed`: the address or number his sign-in codes go to was replaced by another. */
  kind: 'address_changed';
  /** The service name shown to the user ("Acme"). */
  issuer: string;
  /** The method whose destination changed. */
  method: 'email' | 'sms' | 'voice';
  /** When the change happened, in milliseconds since the Unix epoch; shown in UTC. */
  at: number;
}

/**
 * Sends code e-mails and, optionally, notices. {@link createEmailChannel} makes one on `nodemailer`; a
 * host may write its own.
 *
 * @example
 * ```ts
 * import type { EmailChannel } from '@secondfactor/channels';
 *
 * const channel: EmailChannel = {
 *   async sendCode(to, message, context) {
 *     // hand the message to your mail API here
 *   },
 *   async sendNotice(to, notice, context) {
 *     // and the notice, e.g. rendered with defaultNoticeTemplate(notice, context)
 *   },
 * };
 * ```
 */
export interface EmailChannel {
  /**
   * Delivers `message` to the address `to`.
   *
   * @throws {SecondFactorError} `invalid_argument` for a bad address or message; `delivery_failed` when
   * the mail server refuses the message.
   */
  sendCode(to: string, message: CodeMessage, context: DeliveryContext): Promise<void>;
  /**
   * Delivers `notice` to the address `to`: for `address_changed`, the address that was replaced.
   *
   * Optional, so a channel written before notices existed still compiles. The service refuses to change
   * the address of an e-mail method when its channel has no `sendNotice`: the old address could not be
   * told. The three channels of this package implement it.
   *
   * @throws {SecondFactorError} `invalid_argument` for a bad address or notice; `delivery_failed` when
   * the mail server refuses the message.
   */
  sendNotice?(to: string, notice: NoticeMessage, context: DeliveryContext): Promise<void>;
}

/**
 * Sends a text message to an E.164 phone number.
 *
 * @example
 * ```ts
 * import type { SmsProvider } from '@secondfactor/channels';
 *
 * const sms: SmsProvider = {
 *   async send(to, text) {
 *     // call your SMS gateway here
 *   },
 * };
 * ```
 */
export interface SmsProvider {
  /**
   * Delivers `text` to the E.164 number `to`.
   *
   * @throws {SecondFactorError} `invalid_argument` for a number that is not E.164; `delivery_failed` when
   * the gateway refuses the message.
   */
  send(to: string, text: string): Promise<void>;
}

/**
 * Places a flash call: a call, not meant to be answered, from a number whose last digits are the code.
 *
 * @example
 * ```ts
 * import type { VoiceProvider } from '@secondfactor/channels';
 *
 * const voice: VoiceProvider = {
 *   async flashCall(to, { callerSuffix }) {
 *     // ask your telephony gateway to call `to` from a number ending in `callerSuffix`
 *   },
 * };
 * ```
 */
export interface VoiceProvider {
  /**
   * Calls the E.164 number `to` from a number ending in `options.callerSuffix`.
   *
   * @throws {SecondFactorError} `invalid_argument` for a bad number or suffix; `delivery_failed` when the
   * call cannot be placed.
   */
  flashCall(to: string, options: { callerSuffix: string }): Promise<void>;
}

/**
 * One out-of-band message kept by an in-memory provider, in the order it was sent.
 *
 * @example
 * ```ts
 * import type { OutboxEntry } from '@secondfactor/channels';
 *
 * const entry: OutboxEntry = { channel: 'sms', to: '+15551234567', text: 'Acme code: 493021', at: 0 };
 * ```
 */
export interface OutboxEntry {
  /** The channel the message went through. */
  channel: 'email' | 'sms' | 'voice' | 'telegram';
  /** The address, phone number or chat it went to. */
  to: string;
  /** The message as the user would see it. */
  text: string;
  /** When it was sent, in milliseconds since the Unix epoch. */
  at: number;
}
