import { MAX_KEY_URI_LENGTH, SecondFactorError } from '@secondfactor/core';
import { describe, expect, it } from 'vitest';
import { toDataUrl, toSvg, toTerminal } from '../src/index';
import { SECRET_20 } from './uris';

type Render = (input: unknown) => Promise<unknown>;

// Every renderer, called the way a JavaScript caller could (no compile-time types), with a throw
// turned into a rejection so one assertion covers the synchronous and the asynchronous API.
const RENDERERS: ReadonlyArray<[string, Render]> = [
  ['toSvg', async (input) => toSvg(input as string)],
  ['toTerminal', async (input) => toTerminal(input as string)],
  ['toDataUrl', (input) => toDataUrl(input as string)],
];

async function errorOf(render: Render, input: unknown): Promise<SecondFactorError> {
  const error = await render(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SecondFactorError);
  return error as SecondFactorError;
}

const NOT_KEY_URIS: ReadonlyArray<[string, string]> = [
  ['empty string', ''],
  ['a web URL', `https://example.com/totp?secret=${SECRET_20}`],
  ['a bare base32 secret', SECRET_20],
  ['an unknown OTP type', `otpauth://sms/Acme:alice?secret=${SECRET_20}`],
  ['an empty label', `otpauth://totp/?secret=${SECRET_20}`],
  ['no query', 'otpauth://totp/Acme:alice'],
  ['no secret parameter', 'otpauth://totp/Acme:alice?issuer=Acme'],
  ['an empty secret', 'otpauth://totp/Acme:alice?secret=&issuer=Acme'],
  ['a secret outside the base32 alphabet', 'otpauth://totp/Acme:alice?secret=JBSWY3DPEHPK3PX1'],
  ['a broken percent-encoding in the secret', 'otpauth://totp/Acme:alice?secret=JBSW%ZZ'],
  ['a raw space in the label', `otpauth://totp/Acme:alice smith?secret=${SECRET_20}`],
  ['a newline', `otpauth://totp/Acme:alice?secret=${SECRET_20}\n&issuer=Acme`],
  ['a NUL character', `otpauth://totp/Acme:alice\u0000?secret=${SECRET_20}`],
  ['an unpaired surrogate', `otpauth://totp/Acme:\uD83D?secret=${SECRET_20}`],
  ['a fragment', `otpauth://totp/Acme:alice?secret=${SECRET_20}#x`],
];

describe.each(RENDERERS)('%s input validation', (_name, render) => {
  it.each(NOT_KEY_URIS)(
    "a string that is not an otpauth:// key URI (%s) fails with 'invalid_uri'",
    async (_case, uri) => {
      expect((await errorOf(render, uri)).code).toBe('invalid_uri');
    },
  );

  it("a URI longer than MAX_KEY_URI_LENGTH fails with 'invalid_uri' before any encoding", async () => {
    const uri = `otpauth://totp/Acme:alice?secret=${SECRET_20}&issuer=`;
    const error = await errorOf(render, uri + 'A'.repeat(MAX_KEY_URI_LENGTH - uri.length + 1));
    expect(error.code).toBe('invalid_uri');
    expect(error.message).toContain(String(MAX_KEY_URI_LENGTH));
  });

  it.each([42, null, undefined, true, ['otpauth://totp/a?secret=AA'], () => 'x'])(
    "input that is neither a string nor a parameters object (%s) fails with 'invalid_argument'",
    async (input) => {
      expect((await errorOf(render, input)).code).toBe('invalid_argument');
    },
  );

  it('J3: error messages name the problem but never echo the URI or its secret', async () => {
    for (const [, uri] of NOT_KEY_URIS) {
      const error = await errorOf(render, uri);
      if (uri !== '') expect(error.message).not.toContain(uri);
      expect(error.message).not.toContain(SECRET_20);
      expect(error.cause).toBeUndefined();
    }
  });
});

describe('URIs that are valid but do not fit', () => {
  // About 1,900 bytes: within MAX_KEY_URI_LENGTH, over level H's 1,273-byte capacity, under level L's 2,953.
  const long = `otpauth://totp/Acme:alice?secret=${SECRET_20}&issuer=Acme&note=${'a'.repeat(1850)}`;

  it("fail with 'invalid_uri' naming the error correction level", () => {
    expect(() => toSvg(long, { errorCorrectionLevel: 'H' })).toThrow(
      expect.objectContaining({ code: 'invalid_uri', message: expect.stringContaining('level H') }),
    );
  });

  it('render at a level with room for them', () => {
    expect(toSvg(long, { errorCorrectionLevel: 'L' })).toMatch(/^<svg /);
  });
});

describe('accepted spellings', () => {
  it('accepts an upper-case scheme and type, a lower-case or padded secret, and a percent-encoded one', () => {
    for (const uri of [
      `OTPAUTH://TOTP/Acme:alice?secret=${SECRET_20}`,
      `otpauth://hotp/Acme:alice?counter=0&secret=${SECRET_20.toLowerCase()}`,
      'otpauth://totp/Acme:alice?secret=JBSWY3DPEHPK3PXPJA======',
      'otpauth://totp/Acme:alice?secret=JBSWY3DPEHPK3PXPJA%3D%3D%3D%3D%3D%3D',
    ]) {
      expect(toTerminal(uri)).toMatch(/^[ ▀▄█\n]+$/u);
    }
  });

  it('toDataUrl reports bad input as a rejected promise, never a synchronous throw', async () => {
    let promise: Promise<string> | undefined;
    expect(() => {
      promise = toDataUrl('not a uri');
    }).not.toThrow();
    await expect(promise).rejects.toMatchObject({ code: 'invalid_uri' });
  });
});
