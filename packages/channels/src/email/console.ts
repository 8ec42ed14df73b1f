/**
 * @module
 * An e-mail channel for development: prints each code e-mail instead of sending it.
 */

import { checkFunction, checkOptions } from '../checks';
import type { EmailChannel } from '../types';
import { checkTemplates, prepareEmail } from './render';
import type { EmailTemplates } from './templates';

/** Options of {@link consoleEmailChannel}. */
export interface ConsoleEmailChannelOptions {
  /** Receives one line per e-mail. @default console.log */
  write?: ((line: string) => void) | undefined;
  /** Templates per purpose, as for `createEmailChannel`. */
  templates?: EmailTemplates | undefined;
}

/**
 * An {@link EmailChannel} that writes `email to ada@example.com: "<subject>" "<text part>"` to stdout
 * (or `write`). For development only: it prints the code.
 *
 * @throws {SecondFactorError} `invalid_argument` for a bad option, address, message or template result.
 *
 * @example
 * ```ts
 * import { consoleEmailChannel } from '@secondfactor/channels';
 *
 * const email = consoleEmailChannel();
 * await email.sendCode('ada@example.com', { code: '493021', issuer: 'Acme', purpose: 'login', ttlSeconds: 600 }, { userId: 'u_42' });
 * ```
 */
export function consoleEmailChannel(options?: ConsoleEmailChannelOptions): EmailChannel {
  const opts = checkOptions<ConsoleEmailChannelOptions>(options);
  const write = checkFunction<(line: string) => void>(opts.write, 'options.write', (line) =>
    console.log(line),
  );
  const templates = checkTemplates(opts.templates);
  return {
    async sendCode(to, message, context) {
      const { content } = prepareEmail(to, message, context, templates);
      write(`email to ${to}: ${JSON.stringify(content.subject)} ${JSON.stringify(content.text)}`);
    },
  };
}
