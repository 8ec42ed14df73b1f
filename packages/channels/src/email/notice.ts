/**
 * @module
 * The default notice e-mail: a message without a code telling the user that the destination of his
 * sign-in codes was replaced, when, and to contact support if he did not do it.
 */

import { escapeHtml } from '../html';
import type { DeliveryContext, NoticeMessage } from '../types';
import type { EmailContent } from './templates';

/**
 * Renders a notice e-mail. `context` lets a multi-tenant host brand the message per tenant.
 *
 * @example
 * ```ts
 * import { escapeHtml, type NoticeTemplate } from '@secondfactor/channels';
 *
 * const plain: NoticeTemplate = (notice) => ({
 *   subject: `${notice.issuer}: your sign-in address was changed`,
 *   text: `Changed at ${new Date(notice.at).toISOString()}. Not you? Write to support@acme.example.`,
 *   html: `<p>${escapeHtml(notice.issuer)}: changed at ${new Date(notice.at).toISOString()}.</p>`,
 * });
 * ```
 */
export type NoticeTemplate = (notice: NoticeMessage, context: DeliveryContext) => EmailContent;

/** What was replaced, completing "Your Acme sign-in … was changed". */
const DESTINATION: Readonly<Record<NoticeMessage['method'], string>> = {
  email: 'e-mail address',
  sms: 'phone number',
  voice: 'phone number',
};

/** What the destination receives, completing "Your Acme … now go to a different …". */
const RECEIVES: Readonly<Record<NoticeMessage['method'], string>> = {
  email: 'sign-in codes',
  sms: 'sign-in codes by SMS',
  voice: 'sign-in calls',
};

/** `2026-05-01T12:00:00Z`: ISO 8601 in UTC, to the second. */
function isoTime(at: number): string {
  return `${new Date(at).toISOString().slice(0, 19)}Z`;
}

/**
 * The built-in notice template. For `address_changed` on an e-mail method: the subject "Your Acme
 * sign-in e-mail address was changed", the time of the change in UTC (`2026-05-01T12:00:00Z`), that the
 * old address no longer receives the codes, and "If this was not you, contact Acme support now". It
 * carries no code and no link. In the HTML part every value is HTML-escaped, the issuer included.
 *
 * @example
 * ```ts
 * import { defaultNoticeTemplate } from '@secondfactor/channels';
 *
 * const { subject, text } = defaultNoticeTemplate(
 *   { kind: 'address_changed', issuer: 'Acme', method: 'email', at: 1777636800000 },
 *   { userId: 'u_42' },
 * );
 * subject; // 'Your Acme sign-in e-mail address was changed'
 * ```
 */
export function defaultNoticeTemplate(notice: NoticeMessage, _context?: DeliveryContext): EmailContent {
  const destination = DESTINATION[notice.method];
  const subject = `Your ${notice.issuer} sign-in ${destination} was changed`;
  const time = isoTime(notice.at);
  const what =
    `Your ${notice.issuer} ${RECEIVES[notice.method]} now go to a different ${destination}. ` +
    'The old one no longer receives them.';
  const notMe = `If this was not you, contact ${notice.issuer} support now: someone else may control your account.`;
  const text = [`${subject}.`, '', `When: ${time} (UTC)`, '', what, '', notMe, ''].join('\n');
  const e = escapeHtml;
  const html = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${e(subject)}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.5">',
    `<p><b>${e(subject)}.</b></p>`,
    `<p>When: ${e(time)} (UTC)</p>`,
    `<p>${e(what)}</p>`,
    `<p>${e(notMe)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
  return { subject, text, html };
}
