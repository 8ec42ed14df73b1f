/**
 * @module
 * A voice provider for development: prints each flash call instead of placing it.
 */

import { checkFunction, checkOptions } from '../checks';
import { assertE164 } from '../phone';
import type { VoiceProvider } from '../types';
import { callerNumber, checkCallerPrefix, checkCallerSuffix } from './caller';

/**
 * Options of {@link consoleVoiceProvider}.
 *
 * @example
 * ```ts
 * import { consoleVoiceProvider } from '@secondfactor/channels';
 *
 * const voice = consoleVoiceProvider({
 *   callerPrefix: '+4930123450',
 *   write: (line) => process.stderr.write(`${line}\n`),
 * });
 * await voice.flashCall('+15551234567', { callerSuffix: '4821' });
 * // stderr: flash call to +15551234567 from +49301234504821
 * ```
 */
export interface ConsoleVoiceProviderOptions {
  /** Receives one line per call. @default console.log */
  write?: ((line: string) => void) | undefined;
  /** The number block calls come from; when given, the line shows the full caller number. */
  callerPrefix?: string | undefined;
}

/**
 * A {@link VoiceProvider} that writes `flash call to +15551234567 from a number ending in 4821` (or the
 * full number, with `callerPrefix`) to stdout or `write`. For development only: it prints the code.
 *
 * @throws {SecondFactorError} `invalid_argument` for a bad option, number or suffix.
 *
 * @example
 * ```ts
 * import { consoleVoiceProvider } from '@secondfactor/channels';
 *
 * const voice = consoleVoiceProvider({ callerPrefix: '+4930123450' });
 * await voice.flashCall('+15551234567', { callerSuffix: '4821' });
 * // flash call to +15551234567 from +49301234504821
 * ```
 */
export function consoleVoiceProvider(options?: ConsoleVoiceProviderOptions): VoiceProvider {
  const opts = checkOptions<ConsoleVoiceProviderOptions>(options);
  const write = checkFunction<(line: string) => void>(opts.write, 'options.write', (line) =>
    console.log(line),
  );
  const prefix = opts.callerPrefix;
  if (prefix !== undefined) checkCallerPrefix(prefix, 'options.callerPrefix');
  return {
    async flashCall(to, callOptions) {
      assertE164(to, 'to');
      const suffix = checkCallerSuffix(checkOptions<{ callerSuffix: string }>(callOptions).callerSuffix);
      const from = prefix === undefined ? `a number ending in ${suffix}` : callerNumber(prefix, suffix);
      write(`flash call to ${to} from ${from}`);
    },
  };
}
