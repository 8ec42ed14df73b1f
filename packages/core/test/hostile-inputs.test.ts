import * as core from '@secondfactor/core';
import {
  base32Decode,
  base32Encode,
  buildKeyUri,
  createHotp,
  createTotp,
  fillRandom,
  formatSecretForManualEntry,
  generateSecret,
  hotp,
  isMethod,
  isSecondFactorError,
  keyUriWarnings,
  parseKeyUri,
  SecondFactorError,
  timingSafeEqual,
  totp,
  totpStep,
  verifyHotp,
  verifyTotp,
} from '@secondfactor/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** One shared table of hostile values, fed to every parameter and option of every public function. */
const HOSTILE: ReadonlyArray<readonly [string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['-1', -1],
  ['-0', -0],
  ['1.5', 1.5],
  ['2**53', 2 ** 53],
  ['2**64', 2 ** 64],
  ['Number.MAX_VALUE', Number.MAX_VALUE],
  ['-1n', -1n],
  ['2n**64n', 2n ** 64n],
  ['2n**200n', 2n ** 200n],
  ['empty string', ''],
  ['space', ' '],
  ['digits string', '123456'],
  ['huge string', 'A'.repeat(2 ** 20)],
  ['huge digit string', '9'.repeat(2 ** 20)],
  ['lone surrogate', '\ud800'],
  ['NUL', '\u0000'],
  ['true', true],
  ['false', false],
  ['symbol', Symbol('hostile')],
  ['function', () => 6],
  ['empty array', []],
  ['array', [1, 2, 3]],
  ['array of strings', ['1', '2', '3', '4', '5', '6']],
  ['empty object', {}],
  ['null-prototype object', Object.create(null)],
  ['object with length', { length: 1e9 }],
  ['object with valueOf', { valueOf: () => 6, toString: () => '123456' }],
  ['boxed string', new String('123456')],
  ['boxed number', new Number(6)],
  ['Date', new Date(0)],
  ['RegExp', /x/],
  ['Map', new Map()],
  ['Promise', Promise.resolve(1)],
  ['Error', new Error('x')],
  ['ArrayBuffer', new ArrayBuffer(20)],
  ['DataView', new DataView(new ArrayBuffer(20))],
  ['Uint16Array', new Uint16Array(10)],
  ['Int8Array', new Int8Array(20)],
  ['Uint8ClampedArray', new Uint8ClampedArray(20)],
  ['empty Uint8Array', new Uint8Array(0)],
  ['1-byte Uint8Array', new Uint8Array(1)],
  ['large Uint8Array', new Uint8Array(2 ** 16)],
  ['Uint8Array view at offset', new Uint8Array(new ArrayBuffer(64), 3, 20)],
];

const SECRET = new Uint8Array(20).fill(7);
const URI = buildKeyUri({ type: 'totp', secret: SECRET, account: 'ada', issuer: 'ACME' });

const TOTP_OPTIONS = ['time', 'period', 'epoch', 'algorithm', 'digits', 'window', 'lastUsedStep'];
const withOption = (name: string, value: unknown): Record<string, unknown> => ({
  time: 1_700_000_000_000,
  [name]: value,
});

/** Every public entry point, each with one call per parameter (or option) the hostile value replaces. */
const CALLS: Record<string, Array<(h: unknown) => unknown>> = {
  hotp: [
    (h) => hotp(h as Uint8Array, 0),
    (h) => hotp(SECRET, h as number),
    (h) => hotp(SECRET, 0, h as object),
    (h) => hotp(SECRET, 0, { algorithm: h as 'SHA1' }),
    (h) => hotp(SECRET, 0, { digits: h as number }),
  ],
  totp: [
    (h) => totp(h as Uint8Array, { time: 0 }),
    (h) => totp(SECRET, h as object),
    ...TOTP_OPTIONS.map((name) => (h: unknown) => totp(SECRET, withOption(name, h))),
  ],
  totpStep: [
    (h) => totpStep(h as object),
    ...['time', 'period', 'epoch'].map((n) => (h: unknown) => totpStep(withOption(n, h))),
  ],
  verifyTotp: [
    (h) => verifyTotp(h as Uint8Array, '123456', { time: 0 }),
    (h) => verifyTotp(SECRET, h, { time: 0 }),
    (h) => verifyTotp(SECRET, '123456', h as object),
    ...TOTP_OPTIONS.map((name) => (h: unknown) => verifyTotp(SECRET, '123456', withOption(name, h))),
    (h) => verifyTotp(SECRET, '123456', { time: 0, window: { past: h, future: 1 } as never }),
    (h) => verifyTotp(SECRET, '123456', { time: 0, window: { past: 1, future: h } as never }),
  ],
  verifyHotp: [
    (h) => verifyHotp(h as Uint8Array, '123456'),
    (h) => verifyHotp(SECRET, h),
    (h) => verifyHotp(SECRET, '123456', h as { lastUsedStep: number }),
    (h) => verifyHotp(SECRET, '123456', { lastUsedStep: h as number }),
    (h) => verifyHotp(SECRET, '123456', { lookAhead: h as number }),
    (h) => verifyHotp(SECRET, '123456', { digits: h as number }),
    (h) => verifyHotp(SECRET, '123456', { algorithm: h as 'SHA1' }),
  ],
  createTotp: [
    (h) => createTotp(h as Uint8Array),
    (h) => createTotp(SECRET, h as object),
    ...['period', 'epoch', 'algorithm', 'digits', 'window'].map(
      (n) => (h: unknown) => createTotp(SECRET, { [n]: h }),
    ),
    (h) => createTotp(SECRET, { clock: () => h as number }).generate(),
    (h) => createTotp(SECRET, { clock: h as () => number }),
    (h) => createTotp(SECRET).generate(h as number),
    (h) => createTotp(SECRET).step(h as number),
    (h) => createTotp(SECRET).verify(h, { time: 0 }),
    (h) => createTotp(SECRET).verify('123456', h as object),
    ...['time', 'window', 'lastUsedStep'].map(
      (n) => (h: unknown) => createTotp(SECRET).verify('123456', withOption(n, h)),
    ),
  ],
  createHotp: [
    (h) => createHotp(h as Uint8Array),
    (h) => createHotp(SECRET, h as object),
    (h) => createHotp(SECRET, { lookAhead: h as number }),
    (h) => createHotp(SECRET).generate(h as number),
    (h) => createHotp(SECRET).verify(h),
    (h) => createHotp(SECRET).verify('123456', h as { lastUsedStep: number }),
    (h) => createHotp(SECRET).verify('123456', { lastUsedStep: h as number }),
    (h) => createHotp(SECRET).verify('123456', { lookAhead: h as number }),
  ],
  generateSecret: [
    (h) => generateSecret(h as object),
    ...['bytes', 'algorithm', 'allowLegacy'].map((n) => (h: unknown) => generateSecret({ [n]: h })),
    (h) => generateSecret({ random: h as () => void }),
  ],
  base32Encode: [
    (h) => base32Encode(h as Uint8Array),
    (h) => base32Encode(SECRET, h as object),
    (h) => base32Encode(SECRET, { padding: h as boolean }),
  ],
  base32Decode: [(h) => base32Decode(h as string)],
  formatSecretForManualEntry: [(h) => formatSecretForManualEntry(h as Uint8Array)],
  timingSafeEqual: [
    (h) => timingSafeEqual(h as string, '123456'),
    (h) => timingSafeEqual(SECRET, h as Uint8Array),
  ],
  buildKeyUri: [
    (h) => buildKeyUri(h as never),
    (h) => buildKeyUri({ type: 'totp', secret: SECRET, account: 'a' }, h as object),
    ...['type', 'secret', 'account', 'issuer', 'algorithm', 'digits', 'period', 'counter', 'image'].flatMap(
      (n) => [
        (h: unknown) => buildKeyUri({ type: 'totp', secret: SECRET, account: 'a', [n]: h } as never),
        (h: unknown) => buildKeyUri({ type: 'hotp', secret: SECRET, account: 'a', [n]: h } as never),
      ],
    ),
  ],
  keyUriWarnings: [
    (h) => keyUriWarnings(h as never),
    ...['type', 'algorithm', 'digits', 'period'].map(
      (n) => (h: unknown) => keyUriWarnings({ type: 'totp', secret: SECRET, account: 'a', [n]: h } as never),
    ),
  ],
  parseKeyUri: [
    (h) => parseKeyUri(h as string),
    (h) => parseKeyUri(URI, h as object),
    (h) => parseKeyUri(URI, { allowLegacySecret: h as boolean }),
    (h) =>
      parseKeyUri(
        `${URI}&period=${typeof h === 'string' || typeof h === 'number' || typeof h === 'bigint' ? h : 'x'}`,
      ),
  ],
  isSecondFactorError: [(h) => isSecondFactorError(h)],
  isMethod: [(h) => isMethod(h)],
  fillRandom: [
    (h) => fillRandom(h as () => void, new Uint8Array(16), 'random'),
    (h) => fillRandom(() => undefined, h as Uint8Array, 'random'),
  ],
};

function outcome(call: () => unknown): 'returned' | 'SecondFactorError' | string {
  try {
    call();
    return 'returned';
  } catch (error) {
    if (error instanceof SecondFactorError && isSecondFactorError(error)) return 'SecondFactorError';
    return `threw ${String((error as Error)?.name)}: ${String((error as Error)?.message)}`;
  }
}

describe('hostile inputs', () => {
  it('the call table covers every function the package exports', () => {
    const functions = Object.entries(core)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name)
      .filter((name) => name !== 'SecondFactorError' && name !== 'httpStatusOf');
    expect(Object.keys(CALLS).sort()).toEqual(functions.sort());
  });

  for (const [name, calls] of Object.entries(CALLS)) {
    it(`${name}: every hostile value in every position returns or throws SecondFactorError`, () => {
      const failures: string[] = [];
      calls.forEach((call, position) => {
        for (const [label, value] of HOSTILE) {
          const result = outcome(() => call(value));
          if (result !== 'returned' && result !== 'SecondFactorError')
            failures.push(`#${position} ${label}: ${result}`);
        }
      });
      expect(failures).toEqual([]);
    });
  }

  it('verifyTotp and verifyHotp never throw for any code value; they return malformed or mismatch', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withDate: true, withTypedArray: true, withMap: true, withSet: true }),
        (code) => {
          const totpResult = verifyTotp(SECRET, code, { time: 1_700_000_000_000 });
          const hotpResult = verifyHotp(SECRET, code);
          expect(totpResult.valid).toBe(false);
          expect(['malformed', 'mismatch']).toContain(totpResult.valid ? '' : totpResult.reason);
          expect(hotpResult.valid).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('fuzz: any string given to parseKeyUri or base32Decode returns or throws SecondFactorError', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({
        unit: fc.constantFrom(
          ...'otpauth://totphotp/?&=:%3A20secretissueralgorithmdigitsperiodcounterSHA1256ABC234567+#',
        ),
        maxLength: 200,
      }),
      fc.constantFrom(
        'otpauth://totp/a?secret=',
        'otpauth://hotp/a:b?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=',
      ),
    );
    fc.assert(
      fc.property(text, fc.boolean(), fc.anything(), (raw, prefix, options) => {
        const uri = prefix && !raw.startsWith('otpauth') ? `otpauth://totp/${raw}` : raw;
        expect(['returned', 'SecondFactorError']).toContain(outcome(() => parseKeyUri(uri)));
        expect(['returned', 'SecondFactorError']).toContain(
          outcome(() => parseKeyUri(uri, options as object)),
        );
        expect(['returned', 'SecondFactorError']).toContain(outcome(() => base32Decode(uri)));
      }),
      { numRuns: 3000 },
    );
  });

  it('fuzz: arbitrary values for every option of every function return or throw SecondFactorError', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withTypedArray: true, withNullPrototype: true }),
        (value) => {
          for (const calls of Object.values(CALLS)) {
            for (const call of calls)
              expect(['returned', 'SecondFactorError']).toContain(outcome(() => call(value)));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
