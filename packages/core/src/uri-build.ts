/**
 * @module
 * Builds `otpauth://` provisioning URIs in the Google Authenticator Key URI Format, and lists the
 * settings many authenticator apps silently ignore.
 */

import { base32Encode } from './base32';
import {
  type Algorithm,
  DEFAULT_ALGORITHM,
  DEFAULT_DIGITS,
  DEFAULT_PERIOD,
  MAX_KEY_URI_LENGTH,
  MIN_SECRET_BYTES,
} from './constants';
import { SecondFactorError } from './errors';
import {
  checkAlgorithm,
  checkDigits,
  checkOptions,
  checkPeriod,
  invalidArgument,
  isBytes,
  splitCounter,
} from './validate';

/** What every Key URI carries. */
interface KeyUriCommon {
  /** The shared secret; written as unpadded uppercase base32 (Key URI `secret`). */
  secret: Uint8Array;
  /** The user's account name, e.g. an e-mail address. Must not contain `:`. */
  account: string;
  /** The service name the app shows, written as label prefix and `issuer` parameter. Must not contain `:`. */
  issuer?: string | undefined;
  /**
   * HMAC algorithm.
   * @default 'SHA1'
   */
  algorithm?: Algorithm | undefined;
  /**
   * Code length, 6 to 8 (checklist A9).
   * @default 6
   */
  digits?: number | undefined;
  /** URL of a logo some apps (FreeOTP) show; written as the `image` parameter. */
  image?: string | undefined;
}

/**
 * Parameters of a `totp` Key URI.
 *
 * @example
 * ```ts
 * import { buildKeyUri, generateSecret, type TotpKeyUriParams } from '@secondfactor/core';
 *
 * const params: TotpKeyUriParams = {
 *   type: 'totp',
 *   secret: generateSecret(),
 *   account: 'ada@example.com',
 *   issuer: 'ACME Co',
 * };
 * const uri = buildKeyUri(params); // 'otpauth://totp/ACME%20Co:ada%40example.com?secret=…&period=30'
 * ```
 */
export interface TotpKeyUriParams extends KeyUriCommon {
  type: 'totp';
  /**
   * Time step in seconds.
   * @default 30
   */
  period?: number | undefined;
  /** Not part of a totp URI. */
  counter?: undefined;
}

/**
 * Parameters of an `hotp` Key URI.
 *
 * @example
 * ```ts
 * import { buildKeyUri, generateSecret, type HotpKeyUriParams } from '@secondfactor/core';
 *
 * const params: HotpKeyUriParams = {
 *   type: 'hotp',
 *   secret: generateSecret(),
 *   account: 'ada@example.com',
 *   counter: 0,
 * };
 * const uri = buildKeyUri(params); // 'otpauth://hotp/ada%40example.com?secret=…&counter=0'
 * ```
 */
export interface HotpKeyUriParams extends KeyUriCommon {
  type: 'hotp';
  /**
   * The initial counter.
   * @default 0
   */
  counter?: number | bigint | undefined;
  /** Not part of an hotp URI. */
  period?: undefined;
}

/**
 * Parameters of {@link buildKeyUri}; {@link parseKeyUri} returns the same shape.
 *
 * @example
 * ```ts
 * import { buildKeyUri, generateSecret, type KeyUriParams, keyUriWarnings } from '@secondfactor/core';
 *
 * const params: KeyUriParams = { type: 'totp', secret: generateSecret(), account: 'ada', issuer: 'ACME Co' };
 * keyUriWarnings(params); // []
 * const uri = buildKeyUri(params);
 * ```
 */
export type KeyUriParams = TotpKeyUriParams | HotpKeyUriParams;

/**
 * Options of {@link buildKeyUri}.
 *
 * @example
 * ```ts
 * import { type BuildKeyUriOptions, buildKeyUri } from '@secondfactor/core';
 *
 * // a 10-byte secret imported from a legacy system
 * const options: BuildKeyUriOptions = { allowLegacySecret: true };
 * const uri = buildKeyUri({ type: 'totp', secret: legacySecret, account: 'ada' }, options);
 * ```
 */
export interface BuildKeyUriOptions {
  /**
   * Allows secrets shorter than 16 bytes (128 bits, RFC 4226 R6; checklist B2).
   * @default false
   */
  allowLegacySecret?: boolean | undefined;
}

/**
 * A setting in a Key URI that many authenticator apps ignore, computing wrong codes without a word.
 *
 * @example
 * ```ts
 * import { generateSecret, type KeyUriWarning, keyUriWarnings } from '@secondfactor/core';
 *
 * const params = { type: 'totp', secret: generateSecret(), account: 'ada', period: 60 } as const;
 * const warnings: KeyUriWarning[] = keyUriWarnings(params);
 * for (const warning of warnings) console.warn(warning.parameter, warning.message); // 'period' '…'
 * ```
 */
export interface KeyUriWarning {
  /** The parameter concerned. */
  parameter: 'algorithm' | 'digits' | 'period';
  /** Human explanation in English, without secret material. */
  message: string;
}

/** A label part or parameter value: a non-empty string without `:` (checklist L3). */
function checkLabelPart(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0)
    throw invalidArgument(name, 'must be a non-empty string');
  if (value.includes(':')) throw invalidArgument(name, "must not contain ':' (the label separator)");
  // Key URI Format: parsers drop spaces after the separator, so a leading space could not survive.
  if (value.startsWith(' ')) throw invalidArgument(name, 'must not start with a space');
  return value;
}

/** RFC 3986 percent-encoding: a space is `%20`, never `+` (checklist L3). */
function encode(value: string, name: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    // encodeURIComponent throws URIError on a lone surrogate, which has no UTF-8 form.
    throw invalidArgument(name, 'must be well-formed Unicode (no lone surrogates)');
  }
}

function checkParams(params: unknown): Partial<KeyUriParams> {
  const p = checkOptions<KeyUriParams>(params, 'params');
  if (p.type !== 'totp' && p.type !== 'hotp')
    throw invalidArgument('params.type', "must be 'totp' or 'hotp'");
  return p;
}

/**
 * Builds an `otpauth://` URI (Key URI Format; checklist L1–L5): the issuer both as label prefix and
 * as `issuer` parameter, label parts percent-encoded (`%20`, never `+`), the secret as unpadded
 * uppercase base32, `period` only for totp and `counter` only for hotp. `algorithm` and `digits` are
 * always written. Check {@link keyUriWarnings} for settings many apps ignore.
 *
 * @throws {SecondFactorError} `invalid_secret` for an empty secret, or one below 16 bytes without
 * `allowLegacySecret`; `invalid_argument` for any other bad parameter, an account or issuer with `:`,
 * or a URI longer than 2048 characters.
 *
 * @example
 * ```ts
 * import { buildKeyUri, generateSecret } from '@secondfactor/core';
 *
 * const uri = buildKeyUri({ type: 'totp', secret: generateSecret(), account: 'ada@example.com', issuer: 'ACME Co' });
 * // 'otpauth://totp/ACME%20Co:ada%40example.com?secret=…&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30'
 * ```
 */
export function buildKeyUri(params: KeyUriParams, options?: BuildKeyUriOptions): string {
  const p = checkParams(params);
  const allowLegacy = checkOptions<BuildKeyUriOptions>(options).allowLegacySecret ?? false;
  if (!isBytes(p.secret) || p.secret.length === 0) {
    throw new SecondFactorError('invalid_secret', 'params.secret must be a non-empty Uint8Array');
  }
  if (p.secret.length < MIN_SECRET_BYTES && allowLegacy !== true) {
    throw new SecondFactorError(
      'invalid_secret',
      `params.secret is shorter than ${MIN_SECRET_BYTES} bytes (128 bits); pass allowLegacySecret to allow it`,
    );
  }
  const account = encode(checkLabelPart(p.account, 'params.account'), 'params.account');
  const issuer =
    p.issuer === undefined ? undefined : encode(checkLabelPart(p.issuer, 'params.issuer'), 'params.issuer');
  const algorithm = checkAlgorithm(p.algorithm, 'params.algorithm');
  const digits = checkDigits(p.digits, 'params.digits');
  let uri = `otpauth://${p.type}/${issuer === undefined ? account : `${issuer}:${account}`}`;
  uri += `?secret=${base32Encode(p.secret)}`;
  if (issuer !== undefined) uri += `&issuer=${issuer}`;
  uri += `&algorithm=${algorithm}&digits=${digits}`;
  if (p.type === 'totp') {
    if (p.counter !== undefined) throw invalidArgument('params.counter', 'is only for hotp URIs');
    uri += `&period=${checkPeriod(p.period, 'params.period')}`;
  } else {
    if (p.period !== undefined) throw invalidArgument('params.period', 'is only for totp URIs');
    const counter = p.counter ?? 0;
    splitCounter(counter, 'params.counter');
    uri += `&counter=${counter}`;
  }
  if (p.image !== undefined) {
    if (typeof p.image !== 'string' || p.image.length === 0) {
      throw invalidArgument('params.image', 'must be a non-empty string');
    }
    uri += `&image=${encode(p.image, 'params.image')}`;
  }
  if (uri.length > MAX_KEY_URI_LENGTH) {
    throw invalidArgument('params', `make a URI longer than ${MAX_KEY_URI_LENGTH} characters`);
  }
  return uri;
}

/**
 * The settings of `params` that many authenticator apps ignore (Google Authenticator, among others,
 * long used SHA-1, 6 digits and 30 s whatever the URI said): a non-SHA1 algorithm, other than 6 digits,
 * a period other than 30 s (checklist L6). An empty list means every common app computes the same codes.
 *
 * @throws {SecondFactorError} `invalid_argument` for a bad algorithm, digits or period.
 *
 * @example
 * ```ts
 * import { generateSecret, keyUriWarnings } from '@secondfactor/core';
 *
 * keyUriWarnings({ type: 'totp', secret: generateSecret(), account: 'ada', digits: 8 });
 * // [{ parameter: 'digits', message: '…' }]
 * ```
 */
export function keyUriWarnings(params: KeyUriParams): KeyUriWarning[] {
  const p = checkParams(params);
  const warnings: KeyUriWarning[] = [];
  const algorithm = checkAlgorithm(p.algorithm, 'params.algorithm');
  const digits = checkDigits(p.digits, 'params.digits');
  if (algorithm !== DEFAULT_ALGORITHM) {
    warnings.push({
      parameter: 'algorithm',
      message: `algorithm ${algorithm}: many authenticator apps ignore it and compute SHA1 codes`,
    });
  }
  if (digits !== DEFAULT_DIGITS) {
    warnings.push({
      parameter: 'digits',
      message: `digits ${digits}: many authenticator apps ignore it and show 6-digit codes`,
    });
  }
  if (p.type === 'totp') {
    const period = checkPeriod(p.period, 'params.period');
    if (period !== DEFAULT_PERIOD) {
      warnings.push({
        parameter: 'period',
        message: `period ${period}: many authenticator apps ignore it and use 30 seconds`,
      });
    }
  }
  return warnings;
}
