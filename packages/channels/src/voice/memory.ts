/**
 * @module
 * A voice provider for tests and demos: records each flash call, optionally in a shared outbox.
 */

import { checkOptions, checkOutbox, findLast } from '../checks';
import type { Outbox } from '../outbox';
import { assertE164 } from '../phone';
import type { VoiceProvider } from '../types';
import { checkCallerSuffix } from './caller';

/**
 * Options of {@link memoryVoiceProvider}.
 *
 * @example
 * ```ts
 * import { createOutbox, memoryVoiceProvider } from '@secondfactor/channels';
 *
 * const outbox = createOutbox();
 * const voice = memoryVoiceProvider({ outbox });
 * await voice.flashCall('+15551234567', { callerSuffix: '4821' });
 * outbox.last({ channel: 'voice' })?.text; // 'Flash call from a number ending in 4821'
 * ```
 */
export interface MemoryVoiceProviderOptions {
  /** A shared outbox (`createOutbox()`) that also receives each call, as channel `'voice'`. */
  outbox?: Outbox | undefined;
}

/**
 * One flash call a {@link MemoryVoiceProvider} received.
 *
 * @example
 * ```ts
 * import { type FlashCall, memoryVoiceProvider } from '@secondfactor/channels';
 *
 * const voice = memoryVoiceProvider();
 * await voice.flashCall('+15551234567', { callerSuffix: '4821' });
 * const call: FlashCall | undefined = voice.last('+15551234567');
 * call?.callerSuffix; // '4821', the code the user types
 * ```
 */
export interface FlashCall {
  /** The E.164 number called. */
  to: string;
  /** The last digits of the calling number: the code. */
  callerSuffix: string;
}

/**
 * A {@link VoiceProvider} that records instead of calling; see {@link memoryVoiceProvider}.
 *
 * @example
 * ```ts
 * import { type MemoryVoiceProvider, memoryVoiceProvider } from '@secondfactor/channels';
 *
 * const voice: MemoryVoiceProvider = memoryVoiceProvider();
 * await voice.flashCall('+15551234567', { callerSuffix: '4821' });
 * voice.calls; // [{ to: '+15551234567', callerSuffix: '4821' }]
 * voice.clear();
 * voice.last(); // undefined
 * ```
 */
export interface MemoryVoiceProvider extends VoiceProvider {
  /** Every call placed since creation or the last `clear()`, oldest first (a copy). */
  readonly calls: readonly FlashCall[];
  /** The newest call to `to` (to anyone when omitted), or `undefined`. */
  last(to?: string | undefined): FlashCall | undefined;
  /** Forgets this provider's calls (a shared outbox keeps its entries). */
  clear(): void;
}

/**
 * Creates a voice provider that records each flash call (after the checks a real provider makes) so a
 * test can read the code back; with `outbox`, each call also appears there as
 * `"Flash call from a number ending in 4821"`.
 *
 * @throws {SecondFactorError} `invalid_argument` for a bad option, number or suffix.
 *
 * @example
 * ```ts
 * import { memoryVoiceProvider } from '@secondfactor/channels';
 *
 * const voice = memoryVoiceProvider();
 * await voice.flashCall('+15551234567', { callerSuffix: '4821' });
 * voice.last('+15551234567'); // { to: '+15551234567', callerSuffix: '4821' }
 * ```
 */
export function memoryVoiceProvider(options?: MemoryVoiceProviderOptions): MemoryVoiceProvider {
  const opts = checkOptions<MemoryVoiceProviderOptions>(options);
  const outbox = checkOutbox(opts.outbox);
  let calls: FlashCall[] = [];
  return {
    async flashCall(to, callOptions) {
      assertE164(to, 'to');
      const callerSuffix = checkCallerSuffix(
        checkOptions<{ callerSuffix: string }>(callOptions).callerSuffix,
      );
      calls.push({ to, callerSuffix });
      outbox?.add({ channel: 'voice', to, text: `Flash call from a number ending in ${callerSuffix}` });
    },
    get calls() {
      return calls.map((call) => ({ ...call }));
    },
    last(to) {
      const call = to === undefined ? calls.at(-1) : findLast(calls, (c) => c.to === to);
      return call === undefined ? undefined : { ...call };
    },
    clear() {
      calls = [];
    },
  };
}
