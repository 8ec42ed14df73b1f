/**
 * @module
 * An in-memory, ordered list of every out-of-band message the memory providers "sent", shared between
 * them so a demo page or a test can read the e-mails, SMS, calls and Telegram messages in one place.
 */

import { checkFunction, checkOptions, invalidArgument } from './checks';
import type { OutboxEntry } from './types';

/**
 * Options of {@link createOutbox}.
 *
 * @example
 * ```ts
 * import { createOutbox } from '@secondfactor/channels';
 *
 * const outbox = createOutbox({ clock: () => 1767225600000, limit: 100 });
 * outbox.add({ channel: 'sms', to: '+15551234567', text: 'Acme code: 493021' }).at; // 1767225600000
 * ```
 */
export interface OutboxOptions {
  /** Time source for {@link OutboxEntry.at}, in Unix milliseconds. @default Date.now */
  clock?: (() => number) | undefined;
  /** The most entries kept; the oldest go first. Keeps a long-running demo from growing without bound. @default 1000 */
  limit?: number | undefined;
}

/**
 * The shared list the memory providers write to; see {@link createOutbox}.
 *
 * @example
 * ```ts
 * import { createOutbox, type Outbox } from '@secondfactor/channels';
 *
 * const outbox: Outbox = createOutbox();
 * // a host's own Telegram provider recording what it sent
 * outbox.add({ channel: 'telegram', to: '123456789', text: 'Approve sign-in to Acme?' });
 * outbox.list({ channel: 'telegram' }).length; // 1
 * outbox.last({ to: '123456789' })?.text; // 'Approve sign-in to Acme?'
 * outbox.clear();
 * ```
 */
export interface Outbox {
  /** Every entry, oldest first (a copy). */
  readonly entries: readonly OutboxEntry[];
  /** Appends an entry, stamped with the clock's time. */
  add(entry: Omit<OutboxEntry, 'at'>): OutboxEntry;
  /** The entries of `channel` sent to `to` (either may be omitted), oldest first. */
  list(
    filter?: { channel?: OutboxEntry['channel'] | undefined; to?: string | undefined } | undefined,
  ): OutboxEntry[];
  /** The newest entry matching the filter, or `undefined`. */
  last(
    filter?: { channel?: OutboxEntry['channel'] | undefined; to?: string | undefined } | undefined,
  ): OutboxEntry | undefined;
  /** Forgets every entry. */
  clear(): void;
}

const CHANNELS: readonly OutboxEntry['channel'][] = ['email', 'sms', 'voice', 'telegram'];

/**
 * Creates an empty {@link Outbox}. Pass it to the memory providers (`{ outbox }`) so they record into
 * one list; a host's own provider may call `add` too. For development and tests only: it holds codes in
 * memory and shows them to whoever can read it.
 *
 * @throws {SecondFactorError} `invalid_argument` for a bad option or entry.
 *
 * @example
 * ```ts
 * import { createOutbox, memorySmsProvider, memoryVoiceProvider } from '@secondfactor/channels';
 *
 * const outbox = createOutbox();
 * const sms = memorySmsProvider({ outbox });
 * const voice = memoryVoiceProvider({ outbox });
 * await sms.send('+15551234567', 'Acme code: 493021');
 * outbox.entries; // [{ channel: 'sms', to: '+15551234567', text: 'Acme code: 493021', at: 1767225600000 }]
 * ```
 */
export function createOutbox(options?: OutboxOptions): Outbox {
  const opts = checkOptions<OutboxOptions>(options);
  const clock = checkFunction<() => number>(opts.clock, 'options.clock', Date.now);
  const limit = opts.limit ?? 1000;
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw invalidArgument('options.limit', 'must be a whole number ≥ 1');
  let entries: OutboxEntry[] = [];

  const matching = (filter: Parameters<Outbox['list']>[0]): OutboxEntry[] =>
    entries.filter(
      (e) =>
        (filter?.channel === undefined || e.channel === filter.channel) &&
        (filter?.to === undefined || e.to === filter.to),
    );

  return {
    get entries() {
      return entries.slice();
    },
    add(entry) {
      if (typeof entry !== 'object' || entry === null) throw invalidArgument('entry', 'must be an object');
      if (!CHANNELS.includes(entry.channel))
        throw invalidArgument('entry.channel', `must be one of ${CHANNELS.join(', ')}`);
      if (typeof entry.to !== 'string') throw invalidArgument('entry.to', 'must be a string');
      if (typeof entry.text !== 'string') throw invalidArgument('entry.text', 'must be a string');
      const added: OutboxEntry = { channel: entry.channel, to: entry.to, text: entry.text, at: clock() };
      entries.push(added);
      if (entries.length > limit) entries = entries.slice(entries.length - limit);
      return added;
    },
    list: (filter) => matching(filter),
    last: (filter) => matching(filter).at(-1),
    clear() {
      entries = [];
    },
  };
}
