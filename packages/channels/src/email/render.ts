/**
 * @module
 * Internal: the checks and rendering every e-mail channel (SMTP, memory, console) runs before it sends.
 */

import { checkCodeMessage, checkOptions, checkText, invalidArgument } from '../checks';
import type { CodeMessage, DeliveryContext } from '../types';
import { assertEmailAddress } from './address';
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

/** A checked delivery, rendered. */
export interface PreparedEmail {
  to: string;
  message: CodeMessage;
  context: DeliveryContext;
  content: EmailContent;
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
  const ctx = checkOptions<DeliveryContext>(context, 'context') as DeliveryContext;
  if (context === undefined) throw invalidArgument('context', 'must be an object');
  checkText(ctx.userId, 'context.userId', 500);
  if (ctx.tenantId !== undefined) checkText(ctx.tenantId, 'context.tenantId', 500);
  const template = templates[msg.purpose] ?? defaultEmailTemplate;
  const content = checkOptions<EmailContent>(template(msg, ctx), 'template result');
  checkText(content.subject, 'template result.subject', 500);
  if (typeof content.text !== 'string' || typeof content.html !== 'string') {
    throw invalidArgument('template result', 'must have string text and html parts');
  }
  return { to: to as string, message: msg, context: ctx, content: content as EmailContent };
}
