/**
 * @module
 * Internal: the checks and rendering every e-mail channel (SMTP, memory, console) runs before it sends.
 */

import { checkCodeMessage, checkNoticeMessage, checkOptions, checkText, invalidArgument } from '../checks';
import type { CodeMessage, DeliveryContext, NoticeMessage } from '../types';
import { assertEmailAddress } from './address';
import { defaultNoticeTemplate, type NoticeTemplate } from './notice';
import { defaultEmailTemplate, type EmailContent, type EmailTemplates } from './templates';

/** Checks the `templates` option: an object of functions keyed by purpose. */
export function checkTemplates(value: unknown, name = 'options.templates'): EmailTemplates {
  const templates = checkOptions<EmailTemplates>(value, name);
  for (const [purpose, template] of Object.entries(templates)) {
    if (template !== undefined && typeof template !== 'function') {
      throw invalidArgument(`${name}.${purpose}`, 'must be a function');
    }
  }
  return templates;
}

/** Checks the `noticeTemplate` option: a function, or `undefined` for {@link defaultNoticeTemplate}. */
export function checkNoticeTemplate(value: unknown, name = 'options.noticeTemplate'): NoticeTemplate {
  if (value === undefined) return defaultNoticeTemplate;
  if (typeof value !== 'function') throw invalidArgument(name, 'must be a function');
  return value as NoticeTemplate;
}

/** A checked delivery, rendered. */
export interface PreparedEmail {
  to: string;
  message: CodeMessage;
  context: DeliveryContext;
  content: EmailContent;
}

/** A checked notice, rendered. */
export interface PreparedNotice {
  to: string;
  notice: NoticeMessage;
  context: DeliveryContext;
  content: EmailContent;
}

function checkContext(context: unknown): DeliveryContext {
  if (context === undefined) throw invalidArgument('context', 'must be an object');
  const ctx = checkOptions<DeliveryContext>(context, 'context') as DeliveryContext;
  checkText(ctx.userId, 'context.userId', 500);
  if (ctx.tenantId !== undefined) checkText(ctx.tenantId, 'context.tenantId', 500);
  return ctx;
}

/** What a template returned: a one-line subject, string text and HTML parts. */
function checkContent(result: unknown): EmailContent {
  const content = checkOptions<EmailContent>(result, 'template result');
  checkText(content.subject, 'template result.subject', 500);
  if (typeof content.text !== 'string' || typeof content.html !== 'string') {
    throw invalidArgument('template result', 'must have string text and html parts');
  }
  return content as EmailContent;
}

/**
 * Checks the arguments of `sendCode` (one bare address, a well-formed message and context) and renders
 * the purpose's template, checking what it returns.
 */
export function prepareEmail(
  to: unknown,
  message: unknown,
  context: unknown,
  templates: EmailTemplates,
): PreparedEmail {
  assertEmailAddress(to, 'to');
  const msg = checkCodeMessage(message);
  const ctx = checkContext(context);
  const template = templates[msg.purpose] ?? defaultEmailTemplate;
  return { to: to as string, message: msg, context: ctx, content: checkContent(template(msg, ctx)) };
}

/**
 * Checks the arguments of `sendNotice` (one bare address, a well-formed notice and context) and renders
 * the notice template, checking what it returns.
 */
export function prepareNotice(
  to: unknown,
  notice: unknown,
  context: unknown,
  template: NoticeTemplate,
): PreparedNotice {
  assertEmailAddress(to, 'to');
  const checked = checkNoticeMessage(notice);
  const ctx = checkContext(context);
  return { to: to as string, notice: checked, context: ctx, content: checkContent(template(checked, ctx)) };
}
