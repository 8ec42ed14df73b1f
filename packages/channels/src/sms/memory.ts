/**
 * @module
 * An SMS provider for tests and demos: keeps every message in memory, optionally in a shared outbox.
 */

import { checkOptions, checkOutbox, checkSmsText, findLast } from '../checks';
import type { Outbox } from '../outbox';
import { assertE164 } from '../phone';
import type { SmsProvider } from '../types';

/**
 * Options of {@link memorySmsProvider}.
 *
 * @example
 * ```ts
 * import { createOutbox, memorySmsProvider } from '@secondfactor/channels';
 *
 * const outbox = createOutbox();
 * const sms = memorySmsProvider({ outbox });
 * await sms.send('+15551234567', '493021 is your Acme sign-in code.');
 * outbox.last({ channel: 'sms' })?.text; // '493021 is your Acme sign-in code.'
 * ```
 */
export interface MemorySmsProviderOptions {
  /** A shared outbox (`createOutbox()`) that also receives each message, as channel `'sms'`. */
  outbox?: Outbox | undefined;
}

/**
 * One message a {@link MemorySmsProvider} received.
 *
 * @example
 * ```ts
 * import { memorySmsProvider, type SmsMessage } from '@secondfactor/channels';
 *
 * const sms = memorySmsProvider();
 * await sms.send('+15551234567', '493021 is your Acme sign-in code.');
 * const message: SmsMessage | undefined = sms.last('+15551234567');
 * message?.text; // '493021 is your Acme sign-in code.'
 * ```
 */
export interface SmsMessage {
  /** The E.164 number it was sent to. */
  to: string;
  /** Its text. */
  text: string;
}

/**
 * An {@link SmsProvider} that records instead of sending; see {@link memorySmsProvider}.
 *
 * @example
 * ```ts
 * import { type MemorySmsProvider, memorySmsProvider } from '@secondfactor/channels';
 *
 * const sms: MemorySmsProvider = memorySmsProvider();
 * await sms.send('+15551234567', '493021 is your Acme sign-in code.');
 * sms.messages.length; // 1
 * sms.clear();
 * sms.last(); // undefined
 * ```
 */
export interface MemorySmsProvider extends SmsProvider {
  /** Every message sent since creation or the last `clear()`, oldest first (a copy). */
  readonly messages: readonly SmsMessage[];
  /** The newest message to `to` (to anyone when omitted), or `undefined`. */
  last(to?: string | undefined): SmsMessage | undefined;
  /** Forgets this provider's messages (a shared outbox keeps its entries). */
  clear(): void;
}

/**
 * Creates an SMS provider that records each message (after the same E.164 check a real provider makes)
 * so a test can read the code back, and adds it to `outbox` when given so a demo can show it.
 *
 * @throws {SecondFactorError} `invalid_argument` for a bad option, number or text.
 *
 * @example
 * ```ts
 * import { memorySmsProvider } from '@secondfactor/channels';
 *
 * const sms = memorySmsProvider();
 * await sms.send('+15551234567', '493021 is your Acme sign-in code.');
 * sms.last('+15551234567')?.text; // '493021 is your Acme sign-in code.'
 * ```
 */
export function memorySmsProvider(options?: MemorySmsProviderOptions): MemorySmsProvider {
  const opts = checkOptions<MemorySmsProviderOptions>(options);
  const outbox = checkOutbox(opts.outbox);
  let messages: SmsMessage[] = [];
  return {
    async send(to, text) {
      assertE164(to, 'to');
      checkSmsText(text);
      messages.push({ to, text });
      outbox?.add({ channel: 'sms', to, text });
    },
    get messages() {
      return messages.map((m) => ({ ...m }));
    },
    last(to) {
      const message = to === undefined ? messages.at(-1) : findLast(messages, (m) => m.to === to);
      return message === undefined ? undefined : { ...message };
    },
    clear() {
      messages = [];
    },
  };
}
