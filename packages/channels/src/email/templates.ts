/**
 * @module
 * The default code e-mail: a subject, a plain-text part and an HTML part naming the issuer, the code,
 * its lifetime and purpose, and what to do when the user did not ask for it.
 */

import { escapeHtml } from '../html';
import type { CodeMessage, CodePurpose, DeliveryContext } from '../types';
import { lifetimeText, PURPOSE_ACTION, PURPOSE_TITLE } from '../wording';

/**
 * A rendered code e-mail. The subject carries no code: subjects show up in notifications on a locked
 * screen and in mailbox lists.
 *
 * @example
 * ```ts
 * import { defaultEmailTemplate, type EmailContent } from '@secondfactor/channels';
 *
 * const content: EmailContent = defaultEmailTemplate(
 *   { code: '493021', issuer: 'Acme', purpose: 'login', ttlSeconds: 600 },
 *   { userId: 'u_42' },
 * );
 * content.subject; // 'Your Acme sign-in code'
 * content.text.includes('493021'); // true
 * ```
 */
export interface EmailContent {
  /** The subject line (no line breaks). */
  subject: string;
  /** The plain-text part. */
  text: string;
  /** The HTML part; every interpolated value must be escaped (see `escapeHtml`). */
  html: string;
}

/**
 * Renders a code e-mail. `context` lets a multi-tenant host brand the message per tenant.
 *
 * @example
 * ```ts
 * import { type EmailTemplate, escapeHtml } from '@secondfactor/channels';
 *
 * const plain: EmailTemplate = (message) => ({
 *   subject: `${message.issuer} code`,
 *   text: `Your code: ${message.code}`,
 *   html: `<p>Your code: <b>${escapeHtml(message.code)}</b></p>`,
 * });
 * ```
 */
export type EmailTemplate = (message: CodeMessage, context: DeliveryContext) => EmailContent;

/**
 * One template per purpose; a purpose left out uses {@link defaultEmailTemplate}.
 *
 * @example
 * ```ts
 * import { createEmailChannel, type EmailTemplates, escapeHtml } from '@secondfactor/channels';
 *
 * const templates: EmailTemplates = {
 *   disable: (message) => ({
 *     subject: `Turning off two-step verification at ${message.issuer}`,
 *     text: `Your code: ${message.code}`,
 *     html: `<p>Your code: <b>${escapeHtml(message.code)}</b></p>`,
 *   }),
 * };
 * const email = createEmailChannel({
 *   transport: { host: 'smtp.acme.example', port: 587 },
 *   from: 'Acme <no-reply@acme.example>',
 *   templates,
 * });
 * ```
 */
export type EmailTemplates = { [P in CodePurpose]?: EmailTemplate | undefined };

const NOT_ME =
  'Did not ask for this? Someone may be trying to use your account: do not share this code with anyone, ' +
  'ignore this e-mail, and change your password if you get more of them.';

/**
 * The built-in template, for every purpose: "Your Acme sign-in code", the code on a line of its own,
 * "Use it to sign in. It expires in 10 minutes.", the account when given, and a "Did not ask for this?"
 * line. In the HTML part every value is HTML-escaped, the issuer included.
 *
 * @example
 * ```ts
 * import { defaultEmailTemplate } from '@secondfactor/channels';
 *
 * const { subject, text } = defaultEmailTemplate(
 *   { code: '493021', issuer: 'Acme', purpose: 'login', ttlSeconds: 600 },
 *   { userId: 'u_42' },
 * );
 * subject; // 'Your Acme sign-in code'
 * ```
 */
export function defaultEmailTemplate(message: CodeMessage, _context?: DeliveryContext): EmailContent {
  const title = PURPOSE_TITLE[message.purpose];
  const usage = `Use it to ${PURPOSE_ACTION[message.purpose]}. It expires in ${lifetimeText(message.ttlSeconds)}.`;
  const account = message.account === undefined ? undefined : `Account: ${message.account}`;
  const subject = `Your ${message.issuer} ${title}`;
  const text = [
    `Your ${message.issuer} ${title} is:`,
    '',
    message.code,
    '',
    usage,
    ...(account === undefined ? [] : [account]),
    '',
    NOT_ME,
    '',
  ].join('\n');
  const e = escapeHtml;
  const html = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${e(subject)}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.5">',
    `<p>Your ${e(message.issuer)} ${e(title)} is:</p>`,
    `<p style="font-size:28px;font-weight:bold;letter-spacing:4px;font-family:monospace">${e(message.code)}</p>`,
    `<p>${e(usage)}</p>`,
    ...(account === undefined ? [] : [`<p>${e(account)}</p>`]),
    `<p style="color:#555">${e(NOT_ME)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
  return { subject, text, html };
}
