/**
 * @module
 * An e-mail channel for development: prints each code or notice e-mail instead of sending it.
 */

import { checkFunction, checkOptions } from '../checks';
import type { EmailChannel } from '../types';
import type { NoticeTemplate } from './notice';
import { checkNoticeTemplate, checkTemplates, prepareEmail, prepareNotice } from './render';
import type { EmailTemplates } from './templates';

/**
 * Options of {@link consoleEmailChannel}.
 *
 * @example
 * ```ts
 * import { consoleEmailChannel } from '@secondfactor/channels';
 *
 * const lines: string[] = [];
 * const email = consoleEmailChannel({ write: (line) => lines.push(line) });
 * await email.sendCode('ada@example.com', { code: '493021', issuer: 'Acme', purpose: 'login', ttlSeconds: 600 }, { userId: 'u_42' });
 * lines[0]; // 'email to ada@example.com: "Your Acme sign-in code" "Your Acme sign-in code is: …"'
 * ```
 */
export interface ConsoleEmailChannelOptions {
  /** Receives one line per e-mail. @default console.log */
  write?: ((line: string) => void) | undefined;
  /** Templates per purpose, as for `createEmailChannel`. */
  templates?: EmailTemplates | undefined;
  /** Renders notices, as for `createEmailChannel`. @default defaultNoticeTemplate */
  noticeTemplate?: NoticeTemplate | undefined;
}

/**
 * An {@link EmailChannel} that writes `email to ada@example.com: "<subject>" "<text part>"` to stdout
 * (or `write`), for codes and notices alike. For development only: it prints the code.
 *
 * @throws {SecondFactorError} `invalid_argument` for a bad option, address, message, notice or template
 * result.
 *
 * @example
 * ```ts
 * import { consoleEmailChannel } from '@secondfactor/channels';
 *
 * const email = consoleEmailChannel();
 * await email.sendCode('ada@example.com', { code: '493021', issuer: 'Acme', purpose: 'login', ttlSeconds: 600 }, { userId: 'u_42' });
 * await email.sendNotice('ada@example.com', { kind: 'address_changed', issuer: 'Acme', method: 'email', at: Date.now() }, { userId: 'u_42' });
 * ```
 */
export function consoleEmailChannel(options?: ConsoleEmailChannelOptions): Required<EmailChannel> {
  const opts = checkOptions<ConsoleEmailChannelOptions>(options);
  const write = checkFunction<(line: string) => void>(opts.write, 'options.write', (line) =>
    console.log(line),
  );
  const templates = checkTemplates(opts.templates);
  const noticeTemplate = checkNoticeTemplate(opts.noticeTemplate);
  const print = (to: string, subject: string, text: string) =>
    write(`email to ${to}: ${JSON.stringify(subject)} ${JSON.stringify(text)}`);
  return {
    async sendCode(to, message, context) {
      const { content } = prepareEmail(to, message, context, templates);
      print(to, content.subject, content.text);
    },
    async sendNotice(to, notice, context) {
      const { content } = prepareNotice(to, notice, context, noticeTemplate);
      print(to, content.subject, content.text);
    },
  };
}
