import {
  base32Decode,
  base32Encode,
  buildKeyUri,
  formatSecretForManualEntry,
  generateSecret,
  hotp,
  type KeyUriParams,
  parseKeyUri,
  totp,
  verifyHotp,
  verifyTotp,
} from '@secondfactor/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const algorithm = fc.constantFrom('SHA1' as const, 'SHA256' as const, 'SHA512' as const);
const secret = fc.uint8Array({ minLength: 16, maxLength: 64 });

// Any Unicode text a user or service might use, without ':' (refused by design, checklist L3) and not
// starting with a space (parsers drop spaces after the label separator).
const labelPart = fc
  .oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
    fc.constantFrom(
      'ACME Co',
      'ada@example.com',
      'a+b&c=d?e#f/g%h',
      '株式会社',
      '🙂 emoji',
      'tab\tand\nnewline',
    ),
  )
  .filter((text) => !text.includes(':') && !text.startsWith(' '));

describe('properties (fast-check)', () => {
  it('base32 round trip: decode(encode(bytes)) = bytes, padded or not, any case, grouped', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
        expect(base32Decode(base32Encode(bytes, { padding: true }))).toEqual(bytes);
        expect(base32Decode(base32Encode(bytes).toLowerCase())).toEqual(bytes);
        expect(base32Decode(formatSecretForManualEntry(bytes))).toEqual(bytes);
        expect(base32Encode(bytes, { padding: true }).length % 8).toBe(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('base32: encode(decode(text)) = text for every canonical unpadded text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = base32Encode(bytes);
        expect(base32Encode(base32Decode(text))).toBe(text);
      }),
    );
  });

  it('A10: every text base32Decode accepts re-encodes to itself (uppercase, without separators)', () => {
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    const symbol = fc.constantFrom(...ALPHABET, ...ALPHABET.toLowerCase());
    // Random symbol strings, and canonical encodings with the last symbol replaced: most of those set
    // a spare bit after the last byte, the case a lenient decoder gets wrong.
    const text = fc.oneof(
      fc.string({ unit: fc.oneof(symbol, fc.constantFrom(' ', '-', '=')), maxLength: 40 }),
      fc
        .tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), symbol, fc.boolean())
        .map(([bytes, last, pad]) => {
          const encoded = base32Encode(bytes);
          const mutated = encoded.slice(0, -1) + last;
          return pad ? mutated.padEnd(Math.ceil(mutated.length / 8) * 8, '=') : mutated;
        }),
    );
    let accepted = 0;
    fc.assert(
      fc.property(text, (t) => {
        let bytes: Uint8Array;
        try {
          bytes = base32Decode(t);
        } catch (error) {
          expect(error).toMatchObject({ code: 'invalid_base32' });
          return;
        }
        accepted++;
        const canonical = t.toUpperCase().replace(/[ -]/g, '');
        expect(base32Encode(bytes, { padding: canonical.includes('=') })).toBe(canonical);
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(300);
  });

  it('B1/L2: generated secrets of every length round-trip through base32 and Key URIs', () => {
    for (let bytes = 1; bytes <= 128; bytes++) {
      const secret = generateSecret({ bytes, allowLegacy: true });
      const text = base32Encode(secret);
      expect(base32Decode(text)).toEqual(secret);
      expect(base32Encode(base32Decode(text))).toBe(text);
      const uri = buildKeyUri({ type: 'totp', secret, account: 'a' }, { allowLegacySecret: true });
      expect(parseKeyUri(uri, { allowLegacySecret: true }).secret).toEqual(secret);
    }
  });

  it('L1: URI build/parse round trip with arbitrary Unicode accounts and issuers', () => {
    const params: fc.Arbitrary<KeyUriParams> = fc.oneof(
      fc.record(
        {
          type: fc.constant('totp' as const),
          secret,
          account: labelPart,
          issuer: labelPart,
          algorithm,
          digits: fc.integer({ min: 6, max: 8 }),
          period: fc.integer({ min: 1, max: 86_400 }),
        },
        { requiredKeys: ['type', 'secret', 'account'] },
      ),
      fc.record(
        {
          type: fc.constant('hotp' as const),
          secret,
          account: labelPart,
          issuer: labelPart,
          algorithm,
          digits: fc.integer({ min: 6, max: 8 }),
          counter: fc.oneof(
            fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
            fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n - 1n }),
          ),
        },
        { requiredKeys: ['type', 'secret', 'account'] },
      ),
    );
    fc.assert(
      fc.property(params, (p) => {
        const uri = buildKeyUri(p);
        expect(uri).toMatch(/^otpauth:\/\/(totp|hotp)\/[^?#/\s]+\?secret=[A-Z2-7]+&/);
        const parsed = parseKeyUri(uri);
        expect(parsed.type).toBe(p.type);
        expect(parsed.secret).toEqual(p.secret);
        expect(parsed.account).toBe(p.account);
        expect(parsed.issuer).toBe(p.issuer);
        expect(parsed.algorithm).toBe(p.algorithm ?? 'SHA1');
        expect(parsed.digits).toBe(p.digits ?? 6);
        if (parsed.type === 'totp') expect(parsed.period).toBe(p.period ?? 30);
        else expect(parsed.counter).toBe(p.type === 'hotp' ? (p.counter ?? 0) : undefined);
        expect(buildKeyUri(parsed)).toBe(uri);
      }),
      { numRuns: 500 },
    );
  });

  it('C1: verifyTotp(totp(t + k steps)) is valid exactly when k is inside the window', () => {
    fc.assert(
      fc.property(
        secret,
        algorithm,
        fc.integer({ min: 6, max: 8 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 13 * 300_000, max: 2 ** 45 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: -12, max: 12 }),
        (key, alg, digits, period, time, past, future, k) => {
          const options = { algorithm: alg, digits, period };
          const code = totp(key, { ...options, time: time + k * period * 1000 });
          const result = verifyTotp(key, code, { ...options, time, window: { past, future } });
          if (-past <= k && k <= future) {
            expect(result.valid).toBe(true);
            // the latest matching step wins; it is this step unless a later one shares the code
            if (result.valid) expect(result.driftSteps).toBeGreaterThanOrEqual(k);
          }
          if (result.valid) {
            // whatever matched is inside the window and really has this code (no false accept)
            expect(result.driftSteps).toBeGreaterThanOrEqual(-past);
            expect(result.driftSteps).toBeLessThanOrEqual(future);
            expect(totp(key, { ...options, time: time + result.driftSteps * period * 1000 })).toBe(code);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('C4/C6: verifyHotp(hotp(c + k)) is valid exactly when 0 ≤ k ≤ lookAhead', () => {
    fc.assert(
      fc.property(
        secret,
        fc.bigInt({ min: 0n, max: 2n ** 64n - 30n }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: -12, max: 12 }),
        (key, counter, lookAhead, k) => {
          fc.pre(counter + BigInt(k) >= 0n);
          const code = hotp(key, counter + BigInt(k));
          const result = verifyHotp(
            key,
            code,
            counter === 0n ? { lookAhead } : { lastUsedStep: counter - 1n, lookAhead },
          );
          if (k >= 0 && k <= lookAhead) expect(result.valid).toBe(true);
          if (result.valid) {
            expect(result.counter >= counter && result.counter <= counter + BigInt(lookAhead)).toBe(true);
            expect(hotp(key, result.counter)).toBe(code);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
