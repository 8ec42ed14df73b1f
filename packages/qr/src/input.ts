/**
 * @module
 * Turns what a caller hands to a renderer (an `otpauth://` URI or the parameters of one) into the exact
 * text the QR code will carry, after checking that it is a provisioning URI and not something else.
 */

import { buildKeyUri, type KeyUriParams, MAX_KEY_URI_LENGTH, SecondFactorError } from '@secondfactor/core';

/**
 * An `otpauth://` URI string, or the parameters `buildKeyUri` of `@secondfactor/core` turns into one.
 *
 * @example
 * ```ts
 * import { type UriOrParams, toSvg } from '@secondfactor/qr';
 *
 * const input: UriOrParams = 'otpauth://totp/Acme:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Acme';
 * const svg = toSvg(input);
 * ```
 */
export type UriOrParams = string | KeyUriParams;

// Key URI Format: otpauth://TYPE/LABEL?PARAMETERS, TYPE totp or hotp, LABEL not empty.
const KEY_URI = /^otpauth:\/\/(?:totp|hotp)\/[^?#/]+\?([^#]*)$/i;
// Space and control characters (C0, DEL, C1) are never part of a URI (RFC 3986 §2); their presence means
// the caller passed something else, or an unencoded label a scanner would cut short.
function hasSpaceOrControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit <= 0x20 || (unit >= 0x7f && unit <= 0x9f)) return true;
  }
  return false;
}
// A lone surrogate has no UTF-8 form: the encoder would replace it and the phone would read another URI.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// RFC 4648 §6 alphabet, either case, padding tolerated.
const BASE32 = /^[A-Za-z2-7]+=*$/;

function invalidUri(message: string): SecondFactorError {
  return new SecondFactorError('invalid_uri', message);
}

/** Checks an `otpauth://` URI string; messages never quote the URI, which carries the secret. */
function checkUri(uri: string): string {
  // The longest URI the renderers accept is core's MAX_KEY_URI_LENGTH, so anything buildKeyUri writes and
  // parseKeyUri reads can be rendered; the cap keeps hostile input away from the encoder.
  if (uri.length > MAX_KEY_URI_LENGTH) {
    throw invalidUri(`uri is longer than ${MAX_KEY_URI_LENGTH} characters`);
  }
  if (hasSpaceOrControl(uri) || LONE_SURROGATE.test(uri)) {
    throw invalidUri('uri contains spaces, control characters or unpaired surrogates; percent-encode them');
  }
  const match = KEY_URI.exec(uri);
  if (match === null) {
    throw invalidUri('uri must have the form otpauth://totp/LABEL?secret=... or otpauth://hotp/LABEL?...');
  }
  const secret = (match[1] ?? '')
    .split('&')
    .find((pair) => pair.startsWith('secret='))
    ?.slice('secret='.length);
  let decoded: string | undefined;
  try {
    decoded = secret === undefined ? undefined : decodeURIComponent(secret);
  } catch {
    throw invalidUri('uri has a malformed percent-encoding in its secret parameter');
  }
  if (decoded === undefined || !BASE32.test(decoded)) {
    throw invalidUri('uri must carry a base32 secret parameter');
  }
  return uri;
}

/**
 * The URI a QR code should carry: a string is checked and returned unchanged (byte for byte what the
 * phone will read); parameters go through `buildKeyUri`, whose own errors pass through (it refuses
 * secrets under 16 bytes: build a legacy URI with `allowLegacySecret` and pass the string instead).
 * @internal
 */
export function resolveUri(input: unknown): string {
  if (typeof input === 'string') return checkUri(input);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SecondFactorError(
      'invalid_argument',
      'uriOrParams must be an otpauth:// URI string or a KeyUriParams object',
    );
  }
  // buildKeyUri validates every parameter and percent-encodes the label: its output is ASCII and well formed.
  return buildKeyUri(input as KeyUriParams);
}
