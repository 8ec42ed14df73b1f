/**
 * @module
 * An e-mail channel for tests and demos: renders each code e-mail like the SMTP channel and keeps it
 * in memory, optionally in a shared outbox.
 */

import { checkOptions, checkOutbox, findLast } from '../checks';
import type { Outbox } from '../outbox';
import type { DeliveryContext, EmailChannel } from '../types';
import { checkTemplates, prepareEmail } from './render';
import type { EmailTemplates } from './templates';

/** Options of {@link memoryEmailChannel}. */
export interface MemoryEmailChannelOptions {
  /** A shared outbox (`createOutbox()`) that also receives each e-mail (subject and text part), as channel `'email'`. */
  outbox?: Outbox | undefined;
  /** Templates per purpose, as for `createEmailChannel`. */
  templates?: EmailTemplates | undefined;
}

/** One e-mail a {@link MemoryEmailChannel} received, rendered. */
export interface SentEmail {
  /** The recipient address. */
  to: string;
  /** The subject line. */
  subject: string;
  /** The plain-text part. */
  text: string;
  /** The HTML part. */
  html: string;
  /** The delivery context it was sent with. */
  context: DeliveryContext;
}

/** An {@link EmailChannel} that records instead of sending; see {@link memoryEmailChannel}. */
export interface MemoryEmailChannel extends EmailChannel {
  /** Every e-mail sent since creation or the last `clear()`, oldest first (a copy). */
  readonly emails: readonly SentEmail[];
  /** The newest e-mail to `to` (to anyone when omitted), or `undefined`. */
  last(to?: string | undefined): SentEmail | undefined;
  /** Forgets this channel's e-mails (a shared outbox keeps its entries). */
  clear(): void;
}

/**
 * Creates an e-mail channel that runs the same checks and templates as `createEmailChannel` and records
 * the result instead of sending it.
 *
 * @throws {SecondFactorError} `invalid_argument` for a bad option, address, message or template result.
 *
 * @example
 * ```ts
 * import { memoryEmailChannel } from '@secondfactor/channels';
 *
 * const email = memoryEmailChannel();
 * await email.sendCode('ada@example.com', { code: '493021', issuer: 'Acme', purpose: 'login', ttlSeconds: 600 }, { userId: 'u_42' });
 * email.last('ada@example.com')?.subject; // 'Your Acme sign-in code'
 * ```
 */
export function memoryEmailChannel(options?: MemoryEmailChannelOptions): MemoryEmailChannel {
  const opts = checkOptions<MemoryEmailChannelOptions>(options);
  const outbox = checkOutbox(opts.outbox);
  const templates = checkTemplates(opts.templates);
  let emails: SentEmail[] = [];
  const copy = (e: SentEmail): SentEmail => ({ ...e, context: { ...e.context } });
  return {
    async sendCode(to, message, context) {
      const { content, context: ctx } = prepareEmail(to, message, context, templates);
      emails.push({ to, ...content, context: { ...ctx } });
      outbox?.add({ channel: 'email', to, text: `${content.subject}\n\n${content.text}` });
    },
    get emails() {
      return emails.map(copy);
    },
    last(to) {
      const email = to === undefined ? emails.at(-1) : findLast(emails, (e) => e.to === to);
      return email === undefined ? undefined : copy(email);
    },
    clear() {
      emails = [];
    },
  };
}
