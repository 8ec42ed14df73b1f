/**
 * @module
 * An e-mail channel for tests and demos: renders each code or notice e-mail like the SMTP channel and
 * keeps it in memory, optionally in a shared outbox.
 */

import { checkOptions, checkOutbox, findLast } from '../checks';
import type { Outbox } from '../outbox';
import type { DeliveryContext, EmailChannel, NoticeMessage } from '../types';
import type { NoticeTemplate } from './notice';
import { checkNoticeTemplate, checkTemplates, prepareEmail, prepareNotice } from './render';
import type { EmailContent, EmailTemplates } from './templates';

/**
 * Options of {@link memoryEmailChannel}.
 *
 * @example
 * ```ts
 * import { createOutbox, memoryEmailChannel } from '@secondfactor/channels';
 *
 * const outbox = createOutbox();
 * const email = memoryEmailChannel({ outbox });
 * await email.sendCode('ada@example.com', { code: '493021', issuer: 'Acme', purpose: 'login', ttlSeconds: 600 }, { userId: 'u_42' });
 * outbox.last({ channel: 'email' })?.to; // 'ada@example.com'
 * ```
 */
export interface MemoryEmailChannelOptions {
  /** A shared outbox (`createOutbox()`) that also receives each e-mail (subject and text part), as channel `'email'`. */
  outbox?: Outbox | undefined;
  /** Templates per purpose, as for `createEmailChannel`. */
  templates?: EmailTemplates | undefined;
  /** Renders notices, as for `createEmailChannel`. @default defaultNoticeTemplate */
  noticeTemplate?: NoticeTemplate | undefined;
}

/**
 * One e-mail a {@link MemoryEmailChannel} received, rendered.
 *
 * @example
 * ```ts
 * import { memoryEmailChannel, type SentEmail } from '@secondfactor/channels';
 *
 * const email = memoryEmailChannel();
 * await email.sendCode(
 *   'ada@example.com',
 *   { code: '493021', issuer: 'Acme', purpose: 'login', ttlSeconds: 600 },
 *   { userId: 'u_42', tenantId: 'partner-a' },
 * );
 * const sent: SentEmail | undefined = email.last('ada@example.com');
 * sent?.kind; // 'code'
 * sent?.subject; // 'Your Acme sign-in code'
 * sent?.context.tenantId; // 'partner-a'
 * ```
 */
export interface SentEmail {
  /** `'code'` for an e-mail from `sendCode`, `'notice'` for one from `sendNotice`. */
  kind: 'code' | 'notice';
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

/**
 * An {@link EmailChannel} that records instead of sending; see {@link memoryEmailChannel}.
 *
 * @example
 * ```ts
 * import { type MemoryEmailChannel, memoryEmailChannel } from '@secondfactor/channels';
 *
 * const email: MemoryEmailChannel = memoryEmailChannel();
 * await email.sendCode('ada@example.com', { code: '493021', issuer: 'Acme', purpose: 'login', ttlSeconds: 600 }, { userId: 'u_42' });
 * email.emails.length; // 1
 * email.last('ada@example.com')?.text.includes('493021'); // true
 * email.clear();
 * email.last(); // undefined
 * ```
 */
export interface MemoryEmailChannel extends EmailChannel {
  /** Renders and records `notice` for `to`; see {@link EmailChannel.sendNotice}. */
  sendNotice(to: string, notice: NoticeMessage, context: DeliveryContext): Promise<void>;
  /** Every e-mail sent since creation or the last `clear()`, codes and notices, oldest first (a copy). */
  readonly emails: readonly SentEmail[];
  /** The newest e-mail, code or notice, to `to` (to anyone when omitted), or `undefined`. */
  last(to?: string | undefined): SentEmail | undefined;
  /** Forgets this channel's e-mails (a shared outbox keeps its entries). */
  clear(): void;
}

/**
 * Creates an e-mail channel that runs the same checks and templates as `createEmailChannel` and records
 * the result instead of sending it.
 *
 * @throws {SecondFactorError} `invalid_argument` for a bad option, address, message, notice or template
 * result.
 *
 * @example
 * ```ts
 * import { memoryEmailChannel } from '@secondfactor/channels';
 *
 * const email = memoryEmailChannel();
 * await email.sendCode('ada@example.com', { code: '493021', issuer: 'Acme', purpose: 'login', ttlSeconds: 600 }, { userId: 'u_42' });
 * email.last('ada@example.com')?.subject; // 'Your Acme sign-in code'
 * await email.sendNotice('ada@example.com', { kind: 'address_changed', issuer: 'Acme', method: 'email', at: Date.now() }, { userId: 'u_42' });
 * email.last('ada@example.com')?.kind; // 'notice'
 * ```
 */
export function memoryEmailChannel(options?: MemoryEmailChannelOptions): MemoryEmailChannel {
  const opts = checkOptions<MemoryEmailChannelOptions>(options);
  const outbox = checkOutbox(opts.outbox);
  const templates = checkTemplates(opts.templates);
  const noticeTemplate = checkNoticeTemplate(opts.noticeTemplate);
  let emails: SentEmail[] = [];
  const copy = (e: SentEmail): SentEmail => ({ ...e, context: { ...e.context } });
  const record = (kind: SentEmail['kind'], to: string, content: EmailContent, ctx: DeliveryContext) => {
    const { subject, text, html } = content;
    emails.push({ kind, to, subject, text, html, context: { ...ctx } });
    outbox?.add({ channel: 'email', to, text: `${subject}\n\n${text}` });
  };
  return {
    async sendCode(to, message, context) {
      const { content, context: ctx } = prepareEmail(to, message, context, templates);
      record('code', to, content, ctx);
    },
    async sendNotice(to, notice, context) {
      const { content, context: ctx } = prepareNotice(to, notice, context, noticeTemplate);
      record('notice', to, content, ctx);
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
