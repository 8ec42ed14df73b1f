/**
 * @module
 * An SMS provider for development: prints each message instead of sending it.
 */

import { checkFunction, checkOptions, checkSmsText } from '../checks';
import { assertE164 } from '../phone';
import type { SmsProvider } from '../types';

/**
 * Options of {@link consoleSmsProvider}.
 *
 * @example
 * ```ts
 * import { consoleSmsProvider } from '@secondfactor/channels';
 *
 * const sms = consoleSmsProvider({ write: (line) => process.stderr.write(`${line}\n`) });
 * await sms.send('+15551234567', '493021 is your Acme sign-in code.');
 * // stderr: sms to +15551234567: "493021 is your Acme sign-in code."
 * ```
 */
export interface ConsoleSmsProviderOptions {
  /** Receives one line per message. @default console.log */
  write?: ((line: string) => void) | undefined;
}

/**
 * An {@link SmsProvider} that writes `sms to +15551234567: "…"` to stdout (or `write`) for each message.
 * For development only: it prints the code, which is its purpose there and a leak anywhere else.
 * Numbers are checked as E.164 exactly as a real provider would.
 *
 * @throws {SecondFactorError} `invalid_argument` for a bad option, number or text.
 *
 * @example
 * ```ts
 * import { consoleSmsProvider, smsCodeText } from '@secondfactor/channels';
 *
 * const sms = consoleSmsProvider();
 * await sms.send('+15551234567', smsCodeText({ code: '493021', issuer: 'Acme', purpose: 'login', ttlSeconds: 600 }));
 * // sms to +15551234567: "493021 is your Acme sign-in code. …"
 * ```
 */
export function consoleSmsProvider(options?: ConsoleSmsProviderOptions): SmsProvider {
  const opts = checkOptions<ConsoleSmsProviderOptions>(options);
  const write = checkFunction<(line: string) => void>(opts.write, 'options.write', (line) =>
    console.log(line),
  );
  return {
    async send(to, text) {
      assertE164(to, 'to');
      checkSmsText(text);
      write(`sms to ${to}: ${JSON.stringify(text)}`);
    },
  };
}
