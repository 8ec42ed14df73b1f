/**
 * @module
 * The e-mail channel on nodemailer: renders a code or notice e-mail from a template and sends it through
 * the SMTP server of the tenant it is for (a partner may configure its own), one cached transporter per
 * tenant.
 */

import { SecondFactorError } from '@secondfactor/core';
import { createTransport, type SMTPTransportOptions, type Transporter } from 'nodemailer';
import { checkOptions, checkText, deliveryFailed, invalidArgument } from '../checks';
import type { CodeMessage, DeliveryContext, EmailChannel, NoticeMessage } from '../types';
import { assertEmailAddress } from './address';
import type { NoticeTemplate } from './notice';
import { checkNoticeTemplate, checkTemplates, prepareEmail, prepareNotice } from './render';
import type { EmailContent, EmailTemplates } from './templates';

/**
 * SMTP settings: nodemailer's SMTP transport options (`host`, `port`, `secure`, `auth`, …).
 *
 * @example
 * ```ts
 * import { createEmailChannel, type SmtpSettings } from '@secondfactor/channels';
 *
 * const settings: SmtpSettings = {
 *   host: 'smtp.acme.example',
 *   port: 587,
 *   requireTLS: true,
 *   auth: { user: 'mailer', pass: process.env.SMTP_PASS as string },
 * };
 * const email = createEmailChannel({ transport: settings, from: 'Acme <no-reply@acme.example>' });
 * ```
 */
export type SmtpSettings = SMTPTransportOptions;

/**
 * Where code e-mails go: one set of SMTP settings for every tenant, or a function returning, per
 * delivery context, SMTP settings or a ready nodemailer `Transporter` (the partner's own server, read
 * from the host's configuration). The function is called once per tenant; its result is cached until
 * {@link SmtpEmailChannel.forgetTenant}.
 *
 * @example
 * ```ts
 * import { createEmailChannel, type EmailTransport } from '@secondfactor/channels';
 *
 * const transport: EmailTransport = (context) =>
 *   context.tenantId === 'partner-a'
 *     ? { host: 'smtp.partner-a.example', port: 465, secure: true }
 *     : { host: 'smtp.acme.example', port: 587 };
 * const email = createEmailChannel({ transport, from: 'Acme <no-reply@acme.example>' });
 * ```
 */
export type EmailTransport =
  | SmtpSettings
  | ((context: DeliveryContext) => SmtpSettings | Transporter | Promise<SmtpSettings | Transporter>);

/**
 * A sender: `'Acme <no-reply@acme.example>'` or `{ name, address }` (the name is encoded by nodemailer).
 *
 * @example
 * ```ts
 * import type { EmailSender } from '@secondfactor/channels';
 *
 * const sender: EmailSender = { name: 'Acme Security', address: 'no-reply@acme.example' };
 * const sameSender: EmailSender = 'Acme Security <no-reply@acme.example>';
 * ```
 */
export type EmailSender = string | { name: string; address: string };

/**
 * Options of {@link createEmailChannel}.
 *
 * @example
 * ```ts
 * import { createEmailChannel, type EmailChannelOptions } from '@secondfactor/channels';
 *
 * const options: EmailChannelOptions = {
 *   transport: { host: 'smtp.acme.example', port: 587, auth: { user: 'mailer', pass: process.env.SMTP_PASS as string } },
 *   from: (context) =>
 *     context.tenantId === 'partner-a' ? 'Partner A <no-reply@partner-a.example>' : 'Acme <no-reply@acme.example>',
 * };
 * const email = createEmailChannel(options);
 * ```
 */
export interface EmailChannelOptions {
  /** SMTP settings, or a function choosing them (or a transporter) per tenant. */
  transport: EmailTransport;
  /** The `From` of every code and notice e-mail, or a function choosing it per tenant. */
  from: EmailSender | ((context: DeliveryContext) => EmailSender);
  /** Templates per purpose; a purpose left out uses `defaultEmailTemplate`. */
  templates?: EmailTemplates | undefined;
  /** Renders notices. @default defaultNoticeTemplate */
  noticeTemplate?: NoticeTemplate | undefined;
}

/**
 * An {@link EmailChannel} that sends notices too and manages the transporters it caches.
 *
 * @example
 * ```ts
 * import { createEmailChannel, type SmtpEmailChannel, type SmtpSettings } from '@secondfactor/channels';
 *
 * const partnerSmtp = new Map<string, SmtpSettings>();
 * const email: SmtpEmailChannel = createEmailChannel({
 *   transport: (context) => partnerSmtp.get(context.tenantId ?? '') ?? { host: 'smtp.acme.example', port: 587 },
 *   from: 'Acme <no-reply@acme.example>',
 * });
 * // partner-a saved new SMTP settings: the next delivery for it uses them
 * partnerSmtp.set('partner-a', { host: 'smtp.partner-a.example', port: 465, secure: true });
 * email.forgetTenant('partner-a');
 * // on shutdown
 * email.close();
 * ```
 */
export interface SmtpEmailChannel extends EmailChannel {
  /** Delivers `notice` to the address `to`; see {@link EmailChannel.sendNotice}. */
  sendNotice(to: string, notice: NoticeMessage, context: DeliveryContext): Promise<void>;
  /**
   * Drops the cached transporter of `tenantId` (`undefined`: the one without a tenant), so the next
   * delivery asks the `transport` function again, e.g. after a partner changed its SMTP settings.
   * A transporter the channel created from settings is closed; one the host returned is left open.
   */
  forgetTenant(tenantId: string | undefined): void;
  /** Closes every transporter the channel created and empties the cache. */
  close(): void;
}

interface CachedTransport {
  transporter: Transporter;
  /** Whether the channel created it (and so closes it). */
  owned: boolean;
}

const isTransporter = (value: unknown): value is Transporter =>
  typeof value === 'object' && value !== null && typeof (value as Transporter).sendMail === 'function';

function checkSender(value: unknown, name: string): EmailSender {
  if (typeof value === 'string') return checkText(value, name, 320);
  if (typeof value === 'object' && value !== null) {
    const sender = value as { name?: unknown; address?: unknown };
    checkText(sender.name, `${name}.name`, 200);
    assertEmailAddress(sender.address, `${name}.address`);
    return { name: sender.name as string, address: sender.address as string };
  }
  throw invalidArgument(name, 'must be a string or { name, address }');
}

/** The non-secret parts of a nodemailer error: its code, the SMTP status and command, permanence. */
function smtpDetail(error: unknown): Record<string, unknown> {
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const detail: Record<string, unknown> = {};
  if (typeof e.code === 'string' && /^E[A-Z]{1,20}$/.test(e.code)) detail.reason = e.code;
  if (typeof e.responseCode === 'number') detail.smtpStatus = e.responseCode;
  if (typeof e.command === 'string' && /^[A-Z][A-Z0-9 -]{0,30}$/.test(e.command)) detail.command = e.command;
  if (typeof e.permanent === 'boolean') detail.permanent = e.permanent;
  return detail;
}

/**
 * Creates the e-mail channel. Each `sendCode` checks the address (one bare address, so a crafted value
 * cannot add recipients), renders the purpose's template, and sends it with `Auto-Submitted:
 * auto-generated` (RFC 3834, so auto-responders stay quiet). The code is never logged and never put in
 * an error. `sendNotice` does the same with the notice template, through the same cached transporter.
 *
 * @throws {SecondFactorError} `invalid_argument` for bad options (here) or a bad address, message, notice
 * or template result (in `sendCode` and `sendNotice`); `delivery_failed` (HTTP 502) from both when the
 * SMTP server cannot be reached or refuses the message, with `detail` `{ channel: 'email', reason?,
 * smtpStatus?, command?, permanent?, tenantId? }`.
 *
 * @example
 * ```ts
 * import { createEmailChannel } from '@secondfactor/channels';
 *
 * const email = createEmailChannel({
 *   transport: { host: 'smtp.example.com', port: 587, auth: { user: 'mailer', pass: process.env.SMTP_PASS } },
 *   from: { name: 'Acme', address: 'no-reply@acme.example' },
 * });
 * await email.sendCode(
 *   'ada@example.com',
 *   { code: '493021', issuer: 'Acme', purpose: 'login', ttlSeconds: 600 },
 *   { userId: 'u_42' },
 * );
 * // G9: tell the old address that it was replaced.
 * await email.sendNotice(
 *   'ada@old.example',
 *   { kind: 'address_changed', issuer: 'Acme', method: 'email', at: Date.now() },
 *   { userId: 'u_42' },
 * );
 * ```
 */
export function createEmailChannel(options: EmailChannelOptions): SmtpEmailChannel {
  const opts = checkOptions<EmailChannelOptions>(options);
  const transport = opts.transport;
  if (typeof transport !== 'function' && (typeof transport !== 'object' || transport === null)) {
    throw invalidArgument('options.transport', 'must be SMTP settings or a function returning them');
  }
  const from = opts.from;
  if (typeof from !== 'function') checkSender(from, 'options.from');
  const templates = checkTemplates(opts.templates);
  const noticeTemplate = checkNoticeTemplate(opts.noticeTemplate);

  // Keyed by tenant (`undefined` for none); a pending promise is cached too, so concurrent first
  // deliveries of one tenant share one transporter.
  const cache = new Map<string | undefined, Promise<CachedTransport>>();

  async function resolve(context: DeliveryContext): Promise<CachedTransport> {
    const chosen = typeof transport === 'function' ? await transport(context) : transport;
    if (isTransporter(chosen)) return { transporter: chosen, owned: false };
    if (typeof chosen !== 'object' || chosen === null) {
      throw invalidArgument(
        'options.transport(context)',
        'must return SMTP settings or a nodemailer Transporter',
      );
    }
    return { transporter: createTransport(chosen), owned: true };
  }

  function transporterFor(context: DeliveryContext): Promise<CachedTransport> {
    const key = typeof transport === 'function' ? context.tenantId : undefined;
    let entry = cache.get(key);
    if (entry === undefined) {
      entry = resolve(context);
      cache.set(key, entry);
      // A failed lookup is not cached: the next delivery asks again.
      entry.catch(() => {
        if (cache.get(key) === entry) cache.delete(key);
      });
    }
    return entry;
  }

  function closeEntry(entry: Promise<CachedTransport>): void {
    entry.then(
      (cached) => {
        if (cached.owned) cached.transporter.close();
      },
      () => {},
    );
  }

  /** Sends rendered `content`; `what` names it in the `delivery_failed` message. */
  async function deliver(
    to: string,
    ctx: DeliveryContext,
    content: EmailContent,
    what: 'code' | 'notice',
  ): Promise<void> {
    const sender = checkSender(typeof from === 'function' ? from(ctx) : from, 'options.from(context)');
    const { transporter } = await transporterFor(ctx);
    const tenant = ctx.tenantId === undefined ? {} : { tenantId: ctx.tenantId };
    try {
      await transporter.sendMail({
        from: sender,
        to,
        subject: content.subject,
        text: content.text,
        html: content.html,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    } catch (error) {
      if (error instanceof SecondFactorError) throw error;
      throw deliveryFailed('email', `the mail server did not accept the ${what} e-mail`, {
        ...smtpDetail(error),
        ...tenant,
      });
    }
  }

  return {
    async sendCode(to: string, message: CodeMessage, context: DeliveryContext): Promise<void> {
      const { context: ctx, content } = prepareEmail(to, message, context, templates);
      await deliver(to, ctx, content, 'code');
    },
    async sendNotice(to: string, notice: NoticeMessage, context: DeliveryContext): Promise<void> {
      const { context: ctx, content } = prepareNotice(to, notice, context, noticeTemplate);
      await deliver(to, ctx, content, 'notice');
    },
    forgetTenant(tenantId) {
      const entry = cache.get(tenantId);
      if (entry === undefined) return;
      cache.delete(tenantId);
      closeEntry(entry);
    },
    close() {
      for (const entry of cache.values()) closeEntry(entry);
      cache.clear();
    },
  };
}
