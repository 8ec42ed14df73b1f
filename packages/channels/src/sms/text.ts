/**
 * @module
 * The body of a code SMS: short enough for one message, the code first so it shows in a notification
 * preview, and optionally the origin-bound line of the WebOTP API so browsers offer it only on that site.
 */

import { checkCodeMessage, checkOptions, invalidArgument } from '../checks';
import type { CodeMessage } from '../types';
import { lifetimeText, PURPOSE_TITLE } from '../wording';

/**
 * Options of {@link smsCodeText}.
 *
 * @example
 * ```ts
 * import { smsCodeText } from '@secondfactor/channels';
 *
 * smsCodeText({ code: '493021', issuer: 'Acme', purpose: 'login', ttlSeconds: 600 }, { domain: 'acme.example' });
 * // '493021 is your Acme sign-in code. It expires in 10 minutes. …\n\n@acme.example #493021'
 * ```
 */
export interface SmsCodeTextOptions {
  /**
   * The site's host name. When given, a last line `@<domain> #<code>` is added (WICG WebOTP / "origin-bound
   * one-time codes"), so a browser autofills the code only on that site and never on a look-alike.
   */
  domain?: string | undefined;
}

// Host names only (RFC 1123 labels), no port or path: the line must match the page's origin exactly.
const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Formats the SMS carrying a code: "493021 is your Acme sign-in code. It expires in 10 minutes. Did not
 * ask for it? Do not share it with anyone." The account name is left out to keep the message short.
 *
 * @throws {SecondFactorError} `invalid_argument` for a bad message or domain.
 *
 * @example
 * ```ts
 * import { smsCodeText } from '@secondfactor/channels';
 *
 * const text = smsCodeText(
 *   { code: '493021', issuer: 'Acme', purpose: 'login', ttlSeconds: 600 },
 *   { domain: 'acme.example' },
 * );
 * await sms.send('+15551234567', text);
 * ```
 */
export function smsCodeText(message: CodeMessage, options?: SmsCodeTextOptions): string {
  const msg = checkCodeMessage(message);
  const opts = checkOptions<SmsCodeTextOptions>(options);
  const domain = opts.domain;
  if (domain !== undefined && (typeof domain !== 'string' || !HOST.test(domain))) {
    throw invalidArgument('options.domain', 'must be a lowercase host name without port or path');
  }
  const text =
    `${msg.code} is your ${msg.issuer} ${PURPOSE_TITLE[msg.purpose]}. ` +
    `It expires in ${lifetimeText(msg.ttlSeconds)}. Did not ask for it? Do not share it with anyone.`;
  return domain === undefined ? text : `${text}\n\n@${domain} #${msg.code}`;
}
