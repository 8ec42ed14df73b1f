import {
  base32Decode,
  base32Encode,
  MAX_KEY_URI_LENGTH,
  parseKeyUri,
  SecondFactorError,
} from '@secondfactor/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const SECRET = new Uint8Array(20).map((_, i) => 255 - i);
const B32 = base32Encode(SECRET);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(SecondFactorError);
    return (error as SecondFactorError).code;
  }
}

describe('parseKeyUri', () => {
  it('reads the Key URI Format example shape', () => {
    expect(parseKeyUri(`otpauth://totp/Example:alice@google.com?secret=${B32}&issuer=Example`)).toEqual({
      type: 'totp',
      secret: SECRET,
      account: 'alice@google.com',
      issuer: 'Example',
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      image: undefined,
    });
  });

  it('accepts ":" or "%3A" as the separator, with optional spaces before the account', () => {
    for (const label of [
      'ACME%20Co:ada',
      'ACME%20Co%3Aada',
      'ACME%20Co%3aada',
      'ACME%20Co:%20ada',
      'ACME Co:  ada',
    ]) {
      expect(parseKeyUri(`otpauth://totp/${label}?secret=${B32}`)).toMatchObject({
        issuer: 'ACME Co',
        account: 'ada',
      });
    }
  });

  it('uses the issuer parameter to split an ambiguous label', () => {
    const uri = `otpauth://totp/Dept%3A%20IT:ada?secret=${B32}&issuer=Dept%3A%20IT`;
    expect(parseKeyUri(uri)).toMatchObject({ issuer: 'Dept: IT', account: 'ada' });
    // without the parameter the first colon splits
    expect(parseKeyUri(`otpauth://totp/Dept:IT:ada?secret=${B32}`)).toMatchObject({
      issuer: 'Dept',
      account: 'IT:ada',
    });
  });

  it('prefers the issuer parameter when it differs from the label prefix; reads a label without prefix', () => {
    expect(parseKeyUri(`otpauth://totp/Old:ada?secret=${B32}&issuer=New`)).toMatchObject({
      issuer: 'New',
      account: 'ada',
    });
    expect(parseKeyUri(`otpauth://totp/ada?secret=${B32}&issuer=ACME`)).toMatchObject({
      issuer: 'ACME',
      account: 'ada',
    });
    expect(parseKeyUri(`otpauth://totp/ada?secret=${B32}`)).toMatchObject({
      issuer: undefined,
      account: 'ada',
    });
  });

  it('tolerates unknown parameters, parameter order, case of type/algorithm, padding and a fragment', () => {
    const uri = `OTPAUTH://TOTP/ACME:ada?foo=bar&digits=8&algorithm=sha256&secret=${B32.toLowerCase()}&x&period=60#frag`;
    expect(parseKeyUri(uri)).toMatchObject({
      type: 'totp',
      algorithm: 'SHA256',
      digits: 8,
      period: 60,
      secret: SECRET,
    });
    const sixteen = SECRET.slice(0, 16);
    const padded = base32Encode(sixteen, { padding: true });
    expect(padded).toMatch(/=$/);
    expect(parseKeyUri(`otpauth://totp/a?secret=${padded}`).secret).toEqual(sixteen);
    expect(parseKeyUri(`otpauth://totp/a?secret=${padded.replaceAll('=', '%3D')}`).secret).toEqual(sixteen);
  });

  it('reads + in parameter values as a space, but keeps + in the label', () => {
    expect(parseKeyUri(`otpauth://totp/A+B:c+d?secret=${B32}`)).toMatchObject({
      issuer: 'A+B',
      account: 'c+d',
    });
    expect(parseKeyUri(`otpauth://totp/c?secret=${B32}&issuer=Big+Corp`)).toMatchObject({
      issuer: 'Big Corp',
    });
  });

  it('L5: ignores counter in totp URIs and period in hotp URIs; hotp counter defaults to 0', () => {
    expect(parseKeyUri(`otpauth://totp/a?secret=${B32}&counter=7`)).not.toHaveProperty('counter');
    const hotp = parseKeyUri(`otpauth://hotp/a?secret=${B32}&period=60`);
    expect(hotp).not.toHaveProperty('period');
    expect(hotp).toMatchObject({ type: 'hotp', counter: 0 });
  });

  it('reads counters as numbers up to 2^53 - 1 and as bigints up to 2^64 - 1', () => {
    expect(parseKeyUri(`otpauth://hotp/a?secret=${B32}&counter=9007199254740991`)).toMatchObject({
      counter: 9007199254740991,
    });
    expect(parseKeyUri(`otpauth://hotp/a?secret=${B32}&counter=9007199254740992`)).toMatchObject({
      counter: 9007199254740992n,
    });
    expect(parseKeyUri(`otpauth://hotp/a?secret=${B32}&counter=18446744073709551615`)).toMatchObject({
      counter: 18446744073709551615n,
    });
    expect(codeOf(() => parseKeyUri(`otpauth://hotp/a?secret=${B32}&counter=18446744073709551616`))).toBe(
      'invalid_uri',
    );
  });

  it('L7: rejects a missing or empty secret', () => {
    expect(codeOf(() => parseKeyUri('otpauth://totp/ACME:ada?issuer=ACME'))).toBe('invalid_uri');
    expect(codeOf(() => parseKeyUri('otpauth://totp/ACME:ada?secret=&issuer=ACME'))).toBe('invalid_uri');
    expect(codeOf(() => parseKeyUri('otpauth://totp/ACME:ada'))).toBe('invalid_uri');
  });

  it('L7: rejects an unknown type', () => {
    for (const type of ['motp', 'steam', 'totp2', '']) {
      expect(codeOf(() => parseKeyUri(`otpauth://${type}/a?secret=${B32}`))).toBe('invalid_uri');
    }
  });

  it('L7: rejects algorithms other than SHA1, SHA256, SHA512', () => {
    for (const algorithm of ['MD5', 'SHA224', 'SHA384', 'SHA-1', '']) {
      expect(codeOf(() => parseKeyUri(`otpauth://totp/a?secret=${B32}&algorithm=${algorithm}`))).toBe(
        'invalid_uri',
      );
    }
  });

  it('A9/L7: rejects digits outside 6-8, including 9 and 10', () => {
    for (const digits of ['5', '9', '10', '11', '0', '-6', '6.0', 'six', '', '006a', '%39']) {
      expect(codeOf(() => parseKeyUri(`otpauth://totp/a?secret=${B32}&digits=${digits}`))).toBe(
        'invalid_uri',
      );
    }
    for (const digits of [6, 7, 8]) {
      expect(parseKeyUri(`otpauth://totp/a?secret=${B32}&digits=${digits}`).digits).toBe(digits);
    }
  });

  it('rejects a non-positive or malformed period', () => {
    for (const period of ['0', '-30', '1.5', 'x', '']) {
      expect(codeOf(() => parseKeyUri(`otpauth://totp/a?secret=${B32}&period=${period}`))).toBe(
        'invalid_uri',
      );
    }
  });

  it('rejects an oversize URI before parsing it', () => {
    const uri = `otpauth://totp/a?secret=${B32}&pad=${'x'.repeat(MAX_KEY_URI_LENGTH)}`;
    expect(codeOf(() => parseKeyUri(uri))).toBe('invalid_uri');
  });

  it('rejects other schemes, a missing label or account, bad percent-encoding and repeated parameters', () => {
    for (const uri of [
      `https://totp/a?secret=${B32}`,
      `otpauth:totp/a?secret=${B32}`,
      `otpauth://totp?secret=${B32}`,
      `otpauth://totp/?secret=${B32}`,
      `otpauth://totp/ACME:?secret=${B32}`,
      `otpauth://totp/%E0%A4%A?secret=${B32}`,
      `otpauth://totp/a?secret=${B32}&issuer=%ZZ`,
      `otpauth://totp/a?secret=${B32}&secret=${B32}`,
      `otpauth://totp/a?secret=${B32}&digits=6&digits=8`,
    ]) {
      expect(codeOf(() => parseKeyUri(uri))).toBe('invalid_uri');
    }
  });

  it('L7: parameter names are percent-decoded before the repeat check: secr%65t=A…&secret=B… is refused', () => {
    const a = base32Encode(new Uint8Array(20).fill(0xaa));
    const b = base32Encode(new Uint8Array(20).fill(0xbb));
    const uri = `otpauth://totp/ACME:ada?secr%65t=${a}&secret=${b}&issuer=ACME`;
    // URLSearchParams reads the first one as `secret` too: two readers must never see two keys.
    expect(new URLSearchParams(uri.slice(uri.indexOf('?') + 1)).get('secret')).toBe(a);
    expect(codeOf(() => parseKeyUri(uri))).toBe('invalid_uri');
    expect(() => parseKeyUri(uri)).toThrow(/repeats the secret parameter/);
    for (const twin of ['%73ecret', 'SECR%45T', 'secre%74', '%73%65%63%72%65%74']) {
      expect(
        codeOf(() => parseKeyUri(`otpauth://totp/a?${twin}=${a}&secret=${b}`)),
        twin,
      ).toBe('invalid_uri');
    }
    expect(codeOf(() => parseKeyUri(`otpauth://totp/a?secret=${b}&di%67its=8&digits=6`))).toBe('invalid_uri');
  });

  it('L7: reads an encoded parameter name as URLSearchParams does, + included', () => {
    const a = base32Encode(new Uint8Array(20).fill(0xaa));
    expect(parseKeyUri(`otpauth://totp/a?secr%65t=${a}`).secret).toEqual(new Uint8Array(20).fill(0xaa));
    expect(parseKeyUri(`otpauth://totp/a?secret=${B32}&%69ssuer=Big+Corp`).issuer).toBe('Big Corp');
    // `+` is a space in names too, so `secret+` and `se+cret` are unknown names, as for URLSearchParams
    expect(parseKeyUri(`otpauth://totp/a?secret=${B32}&secret+=${a}&se+cret=${a}`).secret).toEqual(SECRET);
    // a name that is not valid percent-encoding can never be a known one; it stays ignored
    expect(parseKeyUri(`otpauth://totp/a?secret=${B32}&secret%=${a}&%E0%A4%A=1`).secret).toEqual(SECRET);
  });

  it('L7: the secret read equals what URLSearchParams reads, or the URI is refused', () => {
    const a = base32Encode(new Uint8Array(20).fill(0xaa));
    const b = base32Encode(new Uint8Array(20).fill(0xbb));
    // `secret`, each character kept, percent-encoded in either hex case, or the `+`/`%20` noise around it
    const encodedName = fc
      .array(fc.constantFrom('keep', 'lower', 'upper'), { minLength: 6, maxLength: 6 })
      .map((ways) =>
        Array.from('secret', (c, i) => {
          const hex = c.charCodeAt(0).toString(16);
          return ways[i] === 'keep' ? c : ways[i] === 'lower' ? `%${hex}` : `%${hex.toUpperCase()}`;
        }).join(''),
      );
    const name = fc.oneof(encodedName, fc.constantFrom('secret', 'secret+', '+secret', 'secret%20', 'x'));
    fc.assert(
      fc.property(name, name, fc.boolean(), (first, second, swap) => {
        const query = swap ? `${second}=${b}&${first}=${a}` : `${first}=${a}&${second}=${b}`;
        const all = new URLSearchParams(query).getAll('secret');
        let parsed: Uint8Array | undefined;
        try {
          parsed = parseKeyUri(`otpauth://totp/x?${query}`).secret;
        } catch (error) {
          expect(error).toBeInstanceOf(SecondFactorError);
        }
        if (all.length === 1) expect(parsed).toEqual(base32Decode(all[0]!));
        else expect(parsed).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a secret that is not base32 with invalid_base32, without quoting it', () => {
    let error: unknown;
    try {
      parseKeyUri('otpauth://totp/a?secret=NOTBASE32!1');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'invalid_base32' });
    expect((error as Error).message).not.toContain('NOTBASE32');
  });

  it('B2: rejects a secret below 16 bytes unless allowLegacySecret', () => {
    const uri = 'otpauth://totp/a?secret=JBSWY3DPEHPK3PXP';
    expect(codeOf(() => parseKeyUri(uri))).toBe('invalid_secret');
    expect(parseKeyUri(uri, { allowLegacySecret: true }).secret).toHaveLength(10);
  });
});
