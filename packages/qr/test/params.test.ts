import { base32Decode, buildKeyUri, type KeyUriParams, SecondFactorError } from '@secondfactor/core';
import { describe, expect, it } from 'vitest';
import { toDataUrl, toSvg, toTerminal } from '../src/index';
import { decodePngDataUrl, decodeSvg, decodeTerminal } from './decode';
import { SECRET_20 } from './uris';

const secret = base32Decode(SECRET_20);

const PARAMS: ReadonlyArray<{ name: string; params: KeyUriParams; expected: string }> = [
  {
    name: 'TOTP with issuer',
    params: {
      type: 'totp',
      secret,
      account: 'alice@example.com',
      issuer: 'Acme',
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    },
    // Written out from the Key URI Format by hand, not taken from buildKeyUri.
    expected: `otpauth://totp/Acme:alice%40example.com?secret=${SECRET_20}&issuer=Acme&algorithm=SHA1&digits=6&period=30`,
  },
  {
    name: 'HOTP with a counter',
    params: {
      type: 'hotp',
      secret,
      account: 'bob',
      issuer: 'Acme',
      algorithm: 'SHA256',
      digits: 8,
      counter: 7,
    },
    expected: `otpauth://hotp/Acme:bob?secret=${SECRET_20}&issuer=Acme&algorithm=SHA256&digits=8&counter=7`,
  },
  {
    name: 'unicode issuer and account',
    params: {
      type: 'totp',
      secret,
      account: 'zoë@例え.jp',
      issuer: 'Société Générale',
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    },
    expected:
      'otpauth://totp/Soci%C3%A9t%C3%A9%20G%C3%A9n%C3%A9rale:zo%C3%AB%40%E4%BE%8B%E3%81%88.jp' +
      `?secret=${SECRET_20}&issuer=Soci%C3%A9t%C3%A9%20G%C3%A9n%C3%A9rale&algorithm=SHA1&digits=6&period=30`,
  },
];

describe('KeyUriParams input', () => {
  it.each(PARAMS)(
    'L1: the PNG decodes to the URI buildKeyUri writes: $name',
    async ({ params, expected }) => {
      expect(buildKeyUri(params)).toBe(expected);
      expect(decodePngDataUrl(await toDataUrl(params))).toBe(expected);
    },
  );

  it.each(PARAMS)('L1: the SVG and terminal text decode to the same URI: $name', ({ params, expected }) => {
    expect(decodeSvg(toSvg(params))).toBe(expected);
    expect(decodeTerminal(toTerminal(params), { small: true, background: 'dark' })).toBe(expected);
  });

  it('renders the same symbol for the parameters as for the URI built from them', () => {
    const { params } = PARAMS[2]!;
    expect(toSvg(params)).toBe(toSvg(buildKeyUri(params)));
    expect(toTerminal(params)).toBe(toTerminal(buildKeyUri(params)));
  });

  it("passes buildKeyUri's errors through: an account with ':' is 'invalid_argument' (L3)", () => {
    const params = { ...PARAMS[0]!.params, account: 'a:b' };
    expect(() => toSvg(params)).toThrow(SecondFactorError);
    expect(() => toSvg(params)).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });

  it("passes buildKeyUri's errors through: a secret under 128 bits is 'invalid_secret' (B2)", async () => {
    const params = { ...PARAMS[0]!.params, secret: base32Decode('JBSWY3DPEHPK3PXP') };
    await expect(toDataUrl(params)).rejects.toMatchObject({ code: 'invalid_secret' });
  });

  it('a legacy secret renders when the caller builds the URI with allowLegacySecret and passes the string', () => {
    const params = { ...PARAMS[0]!.params, secret: base32Decode('JBSWY3DPEHPK3PXP') };
    const uri = buildKeyUri(params, { allowLegacySecret: true });
    expect(decodeSvg(toSvg(uri))).toBe(uri);
  });
});
