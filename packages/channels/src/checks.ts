/**
 * @module
 * Internal checks and error constructors shared by the providers. Messages name the parameter and never
 * quote the value, which may be a code or an address.
 */

import { SecondFactorError } from '@secondfactor/core';
import type { Outbox } from './outbox';
import type { CodeMessage, CodePurpose, NoticeMessage, OutboxEntry } from './types';

/** The purposes a {@link CodeMessage} may carry. */
export const CODE_PURPOSES: readonly CodePurpose[] = ['login', 'verify', 'disable', 'change'];

/** An `invalid_argument` error naming `name`. */
export function invalidArgument(name: string, expectation: string): SecondFactorError {
  return new SecondFactorError('invalid_argument', `${name} ${expectation}`);
}

/**
 * A `delivery_failed` error (HTTP 502) with a non-secret detail. Deliberately no `cause`: an underlying
 * error may quote a URL with credentials or a server reply echoing the message.
 */
export function deliveryFailed(
  channel: OutboxEntry['channel'],
  message: string,
  detail: Record<string, unknown> = {},
): SecondFactorError {
  return new SecondFactorError('delivery_failed', message, { detail: { channel, ...detail } });
}

/** `undefined` or a non-array object. */
export function checkOptions<T extends object>(options: unknown, name = 'options'): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidArgument(name, 'must be an object');
  }
  return options as Partial<T>;
}

/** A function or the default. */
export function checkFunction<F>(value: unknown, name: string, fallback: F): F {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') throw invalidArgument(name, 'must be a function');
  return value as F;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A string of 1 to `max` characters with no control character (no CR/LF header injection). */
export function checkText(value: unknown, name: string, max: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || CONTROL.test(value)) {
    throw invalidArgument(name, `must be a string of 1 to ${max} characters without control characters`);
  }
  return value;
}

/**
 * A well-formed {@link CodeMessage}: a code of 1 to 32 letters, digits or dashes, an issuer, a known
 * purpose, a lifetime in whole seconds ≥ 1, an optional account.
 */
export function checkCodeMessage(message: unknown, name = 'message'): CodeMessage {
  if (typeof message !== 'object' || message === null) throw invalidArgument(name, 'must be an object');
  const m = message as Partial<CodeMessage>;
  if (typeof m.code !== 'string' || !/^[0-9A-Za-z-]{1,32}$/.test(m.code)) {
    throw invalidArgument(`${name}.code`, 'must be 1 to 32 letters, digits or dashes');
  }
  checkText(m.issuer, `${name}.issuer`, 200);
  if (!CODE_PURPOSES.includes(m.purpose as CodePurpose)) {
    throw invalidArgument(`${name}.purpose`, `must be one of ${CODE_PURPOSES.join(', ')}`);
  }
  if (!Number.isSafeInteger(m.ttlSeconds) || (m.ttlSeconds as number) < 1) {
    throw invalidArgument(`${name}.ttlSeconds`, 'must be a whole number of seconds ≥ 1');
  }
  if (m.account !== undefined) checkText(m.account, `${name}.account`, 320);
  return m as CodeMessage;
}

/** The kinds a {@link NoticeMessage} may have. */
export const NOTICE_KINDS: readonly NoticeMessage['kind'][] = ['address_changed'];

/** The methods a {@link NoticeMessage} may name. */
export const NOTICE_METHODS: readonly NoticeMessage['method'][] = ['email', 'sms', 'voice'];

/**
 * A well-formed {@link NoticeMessage}: a known kind, an issuer, a known method, and a time `Date` can
 * show (finite milliseconds within ±8.64e15 of the epoch).
 */
export function checkNoticeMessage(notice: unknown, name = 'notice'): NoticeMessage {
  if (typeof notice !== 'object' || notice === null) throw invalidArgument(name, 'must be an object');
  const n = notice as Partial<NoticeMessage>;
  if (!NOTICE_KINDS.includes(n.kind as NoticeMessage['kind'])) {
    throw invalidArgument(`${name}.kind`, `must be one of ${NOTICE_KINDS.join(', ')}`);
  }
  checkText(n.issuer, `${name}.issuer`, 200);
  if (!NOTICE_METHODS.includes(n.method as NoticeMessage['method'])) {
    throw invalidArgument(`${name}.method`, `must be one of ${NOTICE_METHODS.join(', ')}`);
  }
  if (typeof n.at !== 'number' || Number.isNaN(new Date(n.at).getTime())) {
    throw invalidArgument(`${name}.at`, 'must be a time in milliseconds since the Unix epoch');
  }
  return n as NoticeMessage;
}

/** Checks an SMS body: a non-empty string of at most 1600 characters (ten concatenated parts). */
export function checkSmsText(text: unknown, name = 'text'): string {
  if (typeof text !== 'string' || text.length === 0 || text.length > 1600) {
    throw invalidArgument(name, 'must be a string of 1 to 1600 characters');
  }
  return text;
}

/** `undefined` or something with an `add` method (an {@link Outbox}). */
export function checkOutbox(value: unknown, name = 'options.outbox'): Outbox | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || typeof (value as Outbox).add !== 'function') {
    throw invalidArgument(name, 'must be an outbox from createOutbox()');
  }
  return value as Outbox;
}

/** The last element matching `predicate` (`Array.prototype.findLast` is ES2023; the build targets ES2022). */
export function findLast<T>(items: readonly T[], predicate: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i] as T;
    if (predicate(item)) return item;
  }
  return undefined;
}
