/**
 * @module
 * Reads `otpauth://` provisioning URIs (Google Authenticator Key URI Format), tolerant of what real
 * issuers write and strict about everything that decides which codes are computed.
 */

import { base32Decode } from './base32';
import {
  type Algorithm,
  DEFAULT_DIGITS,
  DEFAULT_PERIOD,
  MAX_COUNTER,
  MAX_KEY_URI_LENGTH,
  MIN_SECRET_BYTES,
} from './constants';
import { SecondFactorError } from './errors';
import { checkDigits, checkOptions, invalidArgument } from './validate';

/**
 * What {@link parseKeyUri} returns for a `totp` URI; {@link buildKeyUri} accepts it as is.
 *
 * @example
 * ```ts
 * import { buildKeyUri, parseKeyUri } from '@secondfactor/core';
 *
 * const key = parseKeyUri('otpauth://totp/ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&period=60');
 * if (key.type === 'totp') {
 *   key.period; // 60 (a ParsedTotpKeyUri)
 *   buildKeyUri(key); // 'otpauth://totp/ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA1&digits=6&period=60'
 * }
 * ```
 */
export interface ParsedTotpKeyUri {
  type: 'totp';
  secret: Uint8Array;
  account: string;
  issuer: string | undefined;
  algorithm: Algorithm;
  digits: number;
  period: number;
  image: string | undefined;
}

/**
 * What {@link parseKeyUri} returns for an `hotp` URI; {@link buildKeyUri} accepts it as is.
 *
 * @example
 * ```ts
 * import { parseKeyUri } from '@secondfactor/core';
 *
 * const key = parseKeyUri('otpauth://hotp/ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=5');
 * if (key.type === 'hotp') {
 *   key.counter; // 5, the initial counter (a ParsedHotpKeyUri)
 * }
 * ```
 */
export interface ParsedHotpKeyUri {
  type: 'hotp';
  secret: Uint8Array;
  account: string;
  issuer: string | undefined;
  algorithm: Algorithm;
  digits: number;
  /** A `number` up to 2^53 − 1, a `bigint` above. */
  counter: number | bigint;
  image: string | undefined;
}

/**
 * The outcome of {@link parseKeyUri}.
 *
 * @example
 * ```ts
 * import { createHotp, createTotp, type ParsedKeyUri, parseKeyUri } from '@secondfactor/core';
 *
 * const key: ParsedKeyUri = parseKeyUri(scannedText);
 * const otp = key.type === 'totp'
 *   ? createTotp(key.secret, { algorithm: key.algorithm, digits: key.digits, period: key.period })
 *   : createHotp(key.secret, { algorithm: key.algorithm, digits: key.digits });
 * ```
 */
export type ParsedKeyUri = ParsedTotpKeyUri | ParsedHotpKeyUri;

/**
 * Options of {@link parseKeyUri}.
 *
 * @example
 * ```ts
 * import { type ParseKeyUriOptions, parseKeyUri } from '@secondfactor/core';
 *
 * // a 10-byte secret, as some services still issue
 * const options: ParseKeyUriOptions = { allowLegacySecret: true };
 * const key = parseKeyUri('otpauth://totp/ada?secret=GEZDGNBVGY3TQOJQ', options);
 * key.secret.length; // 10
 * ```
 */
export interface ParseKeyUriOptions {
  /**
   * Accepts secrets shorter than 16 bytes (128 bits), as some services still issue 10-byte ones
   * (RFC 4226 R6; checklist B2).
   * @default false
   */
  allowLegacySecret?: boolean | undefined;
}

function invalidUri(message: string): SecondFactorError {
  return new SecondFactorError('invalid_uri', message);
}

/** Percent-decoding; `+` means a space only in the query (`application/x-www-form-urlencoded`). */
function decode(text: string, what: string, plusIsSpace: boolean): string {
  try {
    return decodeURIComponent(plusIsSpace ? text.replace(/\+/g, ' ') : text);
  } catch {
    throw invalidUri(`uri has a malformed percent-encoding in its ${what}`);
  }
}

const KNOWN = ['secret', 'issuer', 'algorithm', 'digits', 'period', 'counter', 'image'] as const;
type Known = (typeof KNOWN)[number];

/**
 * The known parameter a query name stands for, or `undefined`. The name is decoded as
 * `URLSearchParams` decodes it (`+` is a space, then percent-decoding), so `secr%65t` is `secret` to
 * both, and compared ASCII-case-insensitively. A name whose percent-encoding is malformed is one
 * `URLSearchParams` keeps a `%` or U+FFFD in, which no known name contains: it is ignored, like any
 * unknown parameter.
 */
function knownName(raw: string): Known | undefined {
  let name: string;
  try {
    name = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
  name = name.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) | 0x20));
  return (KNOWN as readonly string[]).includes(name) ? (name as Known) : undefined;
}

/** The known parameters of the query; unknown ones are ignored, a repeated known one is refused. */
function readQuery(query: string): Partial<Record<Known, string>> {
  const values: Partial<Record<Known, string>> = {};
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = knownName(eq < 0 ? pair : pair.slice(0, eq));
    if (name === undefined) continue;
    // A repeated parameter, however it is spelled, could make two readers see two different keys:
    // refuse the ambiguity (`secr%65t=A&secret=B` is two secrets to URLSearchParams too).
    if (values[name] !== undefined) throw invalidUri(`uri repeats the ${name} parameter`);
    values[name] = decode(eq < 0 ? '' : pair.slice(eq + 1), `${name} parameter`, true);
  }
  return values;
}

function readSecret(value: string | undefined, allowLegacy: boolean): Uint8Array {
  if (value === undefined || value.trim() === '') throw invalidUri('uri has no secret parameter');
  let secret: Uint8Array;
  try {
    secret = base32Decode(value);
  } catch (error) {
    throw new SecondFactorError('invalid_base32', 'uri secret parameter is not base32', { cause: error });
  }
  if (secret.length === 0) throw invalidUri('uri has an empty secret parameter');
  if (secret.length < MIN_SECRET_BYTES && !allowLegacy) {
    throw new SecondFactorError(
      'invalid_secret',
      `uri secret is shorter than ${MIN_SECRET_BYTES} bytes (128 bits); pass allowLegacySecret to import it`,
    );
  }
  return secret;
}

function readAlgorithm(value: string | undefined): Algorithm {
  if (value === undefined) return 'SHA1';
  const upper = value.toUpperCase();
  if (upper === 'SHA1' || upper === 'SHA256' || upper === 'SHA512') return upper;
  throw invalidUri('uri algorithm must be SHA1, SHA256 or SHA512');
}

function readInteger(value: string, name: string, maxDigits: number): number {
  if (!/^[0-9]+$/.test(value) || value.length > maxDigits)
    throw invalidUri(`uri ${name} must be a whole number`);
  return Number(value);
}

function readDigits(value: string | undefined): number {
  if (value === undefined) return DEFAULT_DIGITS;
  return checkDigits(readInteger(value, 'digits', 2), 'uri digits', 'invalid_uri');
}

function readPeriod(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PERIOD;
  const period = readInteger(value, 'period', 12);
  if (period < 1) throw invalidUri('uri period must be positive');
  return period;
}

function readCounter(value: string | undefined): number | bigint {
  if (value === undefined) return 0;
  readInteger(value, 'counter', 20);
  const counter = BigInt(value);
  if (counter > MAX_COUNTER) throw invalidUri('uri counter must be below 2^64');
  return counter <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(counter) : counter;
}

/**
 * Splits the decoded label into issuer prefix and account (Key URI Format: Label). With an `issuer`
 * parameter that the label starts with, that prefix is the issuer even when it contains `:`;
 * otherwise the first `:` separates them. Spaces after the separator are dropped.
 */
function splitLabel(
  label: string,
  issuerParam: string | undefined,
): [prefix: string | undefined, account: string] {
  if (issuerParam !== undefined && label.startsWith(`${issuerParam}:`)) {
    return [issuerParam, label.slice(issuerParam.length + 1).replace(/^ +/, '')];
  }
  const colon = label.indexOf(':');
  if (colon < 0) return [undefined, label];
  return [label.slice(0, colon), label.slice(colon + 1).replace(/^ +/, '')];
}

/**
 * Parses an `otpauth://` URI (Key URI Format; checklist L1, L7). Accepts `:` or `%3A` as the label
 * separator, uses the `issuer` parameter to split an ambiguous label (and prefers it over the label
 * prefix when both exist), decodes parameter names and values as `URLSearchParams` does (`+` is a
 * space; names are percent-decoded before they are matched, so `secr%65t` is `secret`), and ignores
 * unknown parameters, `counter` in totp URIs and `period` in hotp URIs. Parameter names, type and
 * algorithm are read case-insensitively.
 *
 * @throws {SecondFactorError} `invalid_uri` for a URI that is not `otpauth://totp|hotp/…`, longer than
 * 2048 characters, without a secret or an account, with an algorithm other than SHA1/SHA256/SHA512,
 * digits outside 6–8 (checklist A9), a period below 1, a counter ≥ 2^64, a parameter given twice
 * (compared after decoding) or bad percent-encoding in the label or a known parameter's value;
 * `invalid_base32` for a secret that is not base32; `invalid_secret` for a secret below 16 bytes
 * without `allowLegacySecret`; `invalid_argument` when `uri` is not a string.
 *
 * @example
 * ```ts
 * import { parseKeyUri } from '@secondfactor/core';
 *
 * const key = parseKeyUri('otpauth://totp/ACME%20Co:ada@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME%20Co');
 * key.issuer; // 'ACME Co'
 * key.account; // 'ada@example.com'
 * ```
 */
export function parseKeyUri(uri: string, options?: ParseKeyUriOptions): ParsedKeyUri {
  if (typeof uri !== 'string') throw invalidArgument('uri', 'must be a string');
  const allowLegacy = checkOptions<ParseKeyUriOptions>(options).allowLegacySecret === true;
  if (uri.length > MAX_KEY_URI_LENGTH)
    throw invalidUri(`uri is longer than ${MAX_KEY_URI_LENGTH} characters`);
  const match = /^otpauth:\/\/([^/?#]*)\/([^?#]*)(?:\?([^#]*))?(?:#.*)?$/is.exec(uri);
  if (match === null) throw invalidUri('uri must have the form otpauth://TYPE/LABEL?PARAMETERS');
  const type = match[1]!.toLowerCase();
  if (type !== 'totp' && type !== 'hotp') throw invalidUri("uri type must be 'totp' or 'hotp'");
  const query = readQuery(match[3] ?? '');
  const secret = readSecret(query.secret, allowLegacy);
  const [prefix, account] = splitLabel(decode(match[2]!, 'label', false), query.issuer);
  if (account === '') throw invalidUri('uri label has no account name');
  const issuer = query.issuer !== undefined && query.issuer !== '' ? query.issuer : prefix || undefined;
  const algorithm = readAlgorithm(query.algorithm);
  const digits = readDigits(query.digits);
  const image = query.image !== undefined && query.image !== '' ? query.image : undefined;
  if (type === 'totp') {
    return { type, secret, account, issuer, algorithm, digits, period: readPeriod(query.period), image };
  }
  return { type, secret, account, issuer, algorithm, digits, counter: readCounter(query.counter), image };
}
