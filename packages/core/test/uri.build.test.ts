import {
  base32Encode,
  buildKeyUri,
  keyUriWarnings,
  parseKeyUri,
  SecondFactorError,
} from '@secondfactor/core';
import { describe, expect, it } from 'vitest';

const SECRET = new Uint8Array(20).map((_, i) => i * 11 + 1);
const B32 = base32Encode(SECRET);

function query(uri: string): URLSearchParams {
  return new URLSearchParams(uri.slice(uri.indexOf('?') + 1));
}

describe('buildKeyUri', () => {
  it('L1: the URI has the form otpauth://TYPE/LABEL?secret=… and round-trips through the parser', () => {
    const uri = buildKeyUri({ type: 'totp', secret: SECRET, account: 'ada@example.com', issuer: 'ACME Co' });
    expect(uri).toMatch(/^otpauth:\/\/totp\/[^?]+\?secret=[A-Z2-7]+(&|$)/);
    expect(uri).toBe(
      `otpauth://totp/ACME%20Co:ada%40example.com?secret=${B32}&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30`,
    );
    expect(parseKeyUri(uri)).toEqual({
      type: 'totp',
      secret: SECRET,
      account: 'ada@example.com',
      issuer: 'ACME Co',
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      image: undefined,
    });
    const hotpUri = buildKeyUri({ type: 'hotp', secret: SECRET, account: 'ada', counter: 5 });
    expect(hotpUri).toMatch(/^otpauth:\/\/hotp\/ada\?secret=/);
    expect(parseKeyUri(hotpUri)).toMatchObject({
      type: 'hotp',
      account: 'ada',
      counter: 5,
      issuer: undefined,
    });
  });

  it('L2: the secret is unpadded uppercase base32', () => {
    for (const length of [16, 20, 21, 32, 64]) {
      const secret = new Uint8Array(length).fill(0xa5);
      const value = query(buildKeyUri({ type: 'totp', secret, account: 'a' })).get('secret')!;
      expect(value).toMatch(/^[A-Z2-7]+$/);
      expect(value).toBe(base32Encode(secret));
    }
  });

  it('L3: issuer and account are percent-encoded with %20 for spaces, never +', () => {
    const uri = buildKeyUri({
      type: 'totp',
      secret: SECRET,
      account: 'Ada Lovelace+1 & co/é',
      issuer: 'Big Corp #1?',
    });
    expect(uri).not.toContain('+');
    expect(uri).not.toContain(' ');
    expect(uri).toContain('otpauth://totp/Big%20Corp%20%231%3F:Ada%20Lovelace%2B1%20%26%20co%2F%C3%A9?');
    expect(query(uri).get('issuer')).toBe('Big Corp #1?');
    expect(parseKeyUri(uri)).toMatchObject({ account: 'Ada Lovelace+1 & co/é', issuer: 'Big Corp #1?' });
  });

  it('L3: an issuer or account containing ":" is refused', () => {
    expect(() => buildKeyUri({ type: 'totp', secret: SECRET, account: 'a:b' })).toThrow(SecondFactorError);
    expect(() => buildKeyUri({ type: 'totp', secret: SECRET, account: 'ab', issuer: 'A:B' })).toThrow(
      /params.issuer/,
    );
  });

  it('L3: an empty account or issuer, an account starting with a space and lone surrogates are refused', () => {
    for (const [account, issuer] of [
      ['', undefined],
      ['ada', ''],
      [' ada', undefined],
      ['\ud800', undefined],
      ['ada', 'x\udc00'],
    ] as Array<[string, string | undefined]>) {
      expect(() => buildKeyUri({ type: 'totp', secret: SECRET, account, issuer })).toThrow(
        expect.objectContaining({ code: 'invalid_argument' }),
      );
    }
  });

  it('L4: the issuer label prefix and the issuer parameter are both written, and equal', () => {
    for (const issuer of ['ACME', 'ACME Co', 'Zürich Bank', '株式会社']) {
      const uri = buildKeyUri({ type: 'totp', secret: SECRET, account: 'ada', issuer });
      const label = decodeURIComponent(uri.slice('otpauth://totp/'.length, uri.indexOf('?')));
      expect(label).toBe(`${issuer}:ada`);
      expect(query(uri).get('issuer')).toBe(issuer);
    }
  });

  it('L5: counter only in hotp URIs, period only in totp URIs', () => {
    const totpUri = query(buildKeyUri({ type: 'totp', secret: SECRET, account: 'a', period: 60 }));
    expect(totpUri.get('period')).toBe('60');
    expect(totpUri.has('counter')).toBe(false);
    const hotpUri = query(buildKeyUri({ type: 'hotp', secret: SECRET, account: 'a' }));
    expect(hotpUri.get('counter')).toBe('0');
    expect(hotpUri.has('period')).toBe(false);
    expect(
      query(buildKeyUri({ type: 'hotp', secret: SECRET, account: 'a', counter: 2n ** 64n - 1n })).get(
        'counter',
      ),
    ).toBe('18446744073709551615');
  });

  it('L5: a counter given for totp or a period given for hotp is refused, not silently dropped', () => {
    const totpWithCounter = {
      type: 'totp',
      secret: SECRET,
      account: 'a',
      counter: 1,
    } as unknown as Parameters<typeof buildKeyUri>[0];
    const hotpWithPeriod = {
      type: 'hotp',
      secret: SECRET,
      account: 'a',
      period: 30,
    } as unknown as Parameters<typeof buildKeyUri>[0];
    expect(() => buildKeyUri(totpWithCounter)).toThrow(/params.counter/);
    expect(() => buildKeyUri(hotpWithPeriod)).toThrow(/params.period/);
  });

  it('L6: defaults are SHA1, 6 digits, 30 s, with no warning', () => {
    const params = { type: 'totp', secret: SECRET, account: 'a' } as const;
    const q = query(buildKeyUri(params));
    expect([q.get('algorithm'), q.get('digits'), q.get('period')]).toEqual(['SHA1', '6', '30']);
    expect(keyUriWarnings(params)).toEqual([]);
    expect(keyUriWarnings({ type: 'hotp', secret: SECRET, account: 'a' })).toEqual([]);
  });

  it('L6: a non-default algorithm, digit count or period each produce a compatibility warning', () => {
    const warnings = keyUriWarnings({
      type: 'totp',
      secret: SECRET,
      account: 'a',
      algorithm: 'SHA256',
      digits: 8,
      period: 60,
    });
    expect(warnings.map((w) => w.parameter)).toEqual(['algorithm', 'digits', 'period']);
    for (const warning of warnings) expect(warning.message).toMatch(/many authenticator apps ignore/);
    expect(keyUriWarnings({ type: 'totp', secret: SECRET, account: 'a', algorithm: 'SHA512' })).toHaveLength(
      1,
    );
    expect(keyUriWarnings({ type: 'hotp', secret: SECRET, account: 'a', digits: 7 })).toHaveLength(1);
  });

  it('B2: a secret below 16 bytes is refused unless allowLegacySecret is given', () => {
    const params = { type: 'totp', secret: new Uint8Array(10).fill(1), account: 'a' } as const;
    expect(() => buildKeyUri(params)).toThrow(expect.objectContaining({ code: 'invalid_secret' }));
    expect(buildKeyUri(params, { allowLegacySecret: true })).toContain('secret=AEAQCAIBAEAQCAIB');
    expect(() => buildKeyUri({ ...params, secret: new Uint8Array(0) }, { allowLegacySecret: true })).toThrow(
      expect.objectContaining({ code: 'invalid_secret' }),
    );
  });

  it('A9: refuses bad type, digits outside 6-8, a bad period, a bad counter and an oversize URI', () => {
    const base = { secret: SECRET, account: 'a' };
    for (const params of [
      { ...base, type: 'motp' },
      { ...base, type: 'totp', digits: 5 },
      { ...base, type: 'totp', digits: 9 },
      { ...base, type: 'hotp', digits: 10 },
      { ...base, type: 'totp', digits: 11 },
      { ...base, type: 'totp', period: 0 },
      { ...base, type: 'hotp', counter: -1 },
      { ...base, type: 'hotp', counter: 2n ** 64n },
      { ...base, type: 'totp', algorithm: 'MD5' },
      { ...base, type: 'totp', account: 'a'.repeat(3000) },
      { ...base, type: 'totp', image: 42 },
    ]) {
      expect(() => buildKeyUri(params as Parameters<typeof buildKeyUri>[0])).toThrow(SecondFactorError);
    }
  });

  it('writes the image parameter encoded', () => {
    const uri = buildKeyUri({
      type: 'totp',
      secret: SECRET,
      account: 'a',
      image: 'https://example.com/logo.png?x=1&y=2',
    });
    expect(query(uri).get('image')).toBe('https://example.com/logo.png?x=1&y=2');
    expect(parseKeyUri(uri).image).toBe('https://example.com/logo.png?x=1&y=2');
  });
});
