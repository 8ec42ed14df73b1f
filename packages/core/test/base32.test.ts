import {
  base32Decode,
  base32Encode,
  formatSecretForManualEntry,
  SecondFactorError,
} from '@secondfactor/core';
import { describe, expect, it } from 'vitest';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const ascii = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

// RFC 4648 §10 test vectors.
const RFC4648: Array<[string, string]> = [
  ['', ''],
  ['f', 'MY======'],
  ['fo', 'MZXQ===='],
  ['foo', 'MZXW6==='],
  ['foob', 'MZXW6YQ='],
  ['fooba', 'MZXW6YTB'],
  ['foobar', 'MZXW6YTBOI======'],
];

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(SecondFactorError);
    return (error as SecondFactorError).code;
  }
}

describe('base32 (RFC 4648 §6)', () => {
  it('encodes the RFC 4648 §10 vectors, padded on request and unpadded by default', () => {
    for (const [plain, encoded] of RFC4648) {
      expect(base32Encode(text(plain), { padding: true })).toBe(encoded);
      expect(base32Encode(text(plain))).toBe(encoded.replace(/=+$/, ''));
    }
  });

  it('decodes the RFC 4648 §10 vectors with and without padding', () => {
    for (const [plain, encoded] of RFC4648) {
      expect(ascii(base32Decode(encoded))).toBe(plain);
      expect(ascii(base32Decode(encoded.replace(/=+$/, '')))).toBe(plain);
    }
  });

  it('A10: accepts lowercase and missing padding', () => {
    expect(ascii(base32Decode('mzxw6ytboi'))).toBe('foobar');
    expect(ascii(base32Decode('MzXw6YtBoI'))).toBe('foobar');
    expect(base32Decode('jbswy3dpehpk3pxp')).toEqual(
      Uint8Array.from([0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x21, 0xde, 0xad, 0xbe, 0xef]),
    );
  });

  it('A10: accepts spaces and hyphens anywhere (grouped manual-entry keys)', () => {
    expect(ascii(base32Decode('MZXW 6YTB OI'))).toBe('foobar');
    expect(ascii(base32Decode('mzxw-6ytb-oi'))).toBe('foobar');
    expect(ascii(base32Decode(' MZ XW6YTBOI ==== == '))).toBe('foobar');
  });

  it('A10: rejects every character outside A-Z, a-z, 2-7 (and space, hyphen, padding)', () => {
    for (const bad of [
      'MZXW0YTB',
      'MZXW1YTB',
      'MZXW8YTB',
      'MZXW9YTB',
      'MZXW_YTB',
      'MZXW.YTB',
      'MZXW\tYTB',
      'MZXWÄYTB',
      'MZXW+YTB',
      'MZXW/YTB',
      'MZXW6YTB\n',
      'ＭZXW6YTB',
    ]) {
      expect(errorCode(() => base32Decode(bad))).toBe('invalid_base32');
    }
  });

  it('rejects impossible lengths (1, 3 or 6 symbols in the last group of 8)', () => {
    for (const bad of ['M', 'MZX', 'MZXW6Y', 'MZXW6YTBO', 'MZXW6YTBOIM']) {
      expect(errorCode(() => base32Decode(bad))).toBe('invalid_base32');
    }
  });

  it('rejects padding that is not last or of the wrong amount', () => {
    for (const bad of ['MY=', 'MY=====', 'MY=======', 'M=Y', '=MY', 'MZXW6YTB=', 'MZXW6===A']) {
      expect(errorCode(() => base32Decode(bad))).toBe('invalid_base32');
    }
  });

  it('A10: refuses non-zero bits after the last whole byte (…OJ is not another spelling of …OI)', () => {
    // 'foobar' ends in 'OI'; 'J' differs from 'I' only in a bit past the 48th, which no byte holds
    expect(ascii(base32Decode('MZXW6YTBOI'))).toBe('foobar');
    for (const bad of [
      'MZXW6YTBOJ',
      'mzxw6ytboj',
      'MZXW6YTBOJ======',
      'MZXW 6YTB OL',
      'MZ',
      'M3',
      'MZXR',
      'MZXW7',
      'MZXW6YR',
    ]) {
      expect(
        errorCode(() => base32Decode(bad)),
        bad,
      ).toBe('invalid_base32');
    }
    // every final group size, with the spare bits (2, 4, 1, 3 of them) zero
    for (const good of ['MY', 'MZXQ', 'MZXW6', 'MZXW6YQ']) expect(() => base32Decode(good)).not.toThrow();
  });

  it('A10: a non-canonical secret is refused with a position-free message', () => {
    let error: unknown;
    try {
      base32Decode('SECRETSECRETSECRETSECRETSECRETSEC');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'invalid_base32' });
    expect((error as Error).message).not.toContain('SECRET');
  });

  it('error messages give a position, never the text (which may be a secret)', () => {
    let message = '';
    try {
      base32Decode('SECRETSECRET1SECRET');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/position 12/);
    expect(message).not.toContain('SECRET');
  });

  it('decodes an empty string to no bytes', () => {
    expect(base32Decode('')).toEqual(new Uint8Array(0));
    expect(base32Decode('  - ')).toEqual(new Uint8Array(0));
  });

  it('formatSecretForManualEntry writes groups of four that decode back to the secret', () => {
    const secret = new Uint8Array(20).map((_, i) => i * 13);
    const formatted = formatSecretForManualEntry(secret);
    expect(formatted).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    expect(formatted.replaceAll(' ', '')).toBe(base32Encode(secret));
    expect(base32Decode(formatted)).toEqual(secret);
    expect(formatSecretForManualEntry(text('foobar'))).toBe('MZXW 6YTB OI');
    expect(formatSecretForManualEntry(text('foob'))).toBe('MZXW 6YQ');
    expect(formatSecretForManualEntry(new Uint8Array(0))).toBe('');
  });

  it('refuses non-string text, non-byte input and bad options with SecondFactorError', () => {
    expect(errorCode(() => base32Decode(42 as unknown as string))).toBe('invalid_argument');
    expect(errorCode(() => base32Encode('foobar' as unknown as Uint8Array))).toBe('invalid_argument');
    expect(errorCode(() => base32Encode(text('f'), { padding: 'yes' as unknown as boolean }))).toBe(
      'invalid_argument',
    );
    expect(errorCode(() => formatSecretForManualEntry([1, 2] as unknown as Uint8Array))).toBe(
      'invalid_argument',
    );
  });
});
