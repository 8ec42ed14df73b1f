import { SecondFactorError } from '@secondfactor/core';
import { describe, expect, it } from 'vitest';
import { sampleSymbols } from '../src/random';

const DIGITS = '0123456789';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A source that returns 0, 1, …, 255, 0, 1, … : every byte value equally often. */
function cyclingSource(): (bytes: Uint8Array) => void {
  let next = 0;
  return (bytes) => {
    for (let i = 0; i < bytes.length; i++) {
      bytes[i] = next;
      next = (next + 1) % 256;
    }
  };
}

function counts(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const symbol of text) map.set(symbol, (map.get(symbol) ?? 0) + 1);
  return map;
}

describe('sampleSymbols: rejection sampling (F1, no modulo bias)', () => {
  it('F1: fed every byte value equally often, yields every digit exactly equally often', () => {
    // 250 of every 256 bytes are usable for 10 symbols, so 2500 digits use exactly ten full cycles.
    const digits = sampleSymbols(DIGITS, 2500, cyclingSource());
    const perDigit = counts(digits);
    expect([...perDigit.keys()].sort().join('')).toBe(DIGITS);
    for (const count of perDigit.values()) expect(count).toBe(250);
  });

  it('the same cycling source mapped with plain byte % 10 is biased: this is what the sampler avoids', () => {
    const source = cyclingSource();
    const bytes = new Uint8Array(2560);
    source(bytes);
    const naive = counts(Array.from(bytes, (byte) => DIGITS[byte % 10]).join(''));
    // 0–5 get 26 bytes per cycle, 6–9 get 25.
    expect(naive.get('0')).toBe(260);
    expect(naive.get('9')).toBe(250);
  });

  it('discards bytes at or above 250 for 10 symbols and redraws', () => {
    let call = 0;
    const source = (bytes: Uint8Array): void => {
      call++;
      bytes.fill(call === 1 ? 250 : 7);
      if (call === 1) bytes[bytes.length - 1] = 255;
    };
    expect(sampleSymbols(DIGITS, 6, source)).toBe('777777');
    expect(call).toBe(2);
  });

  it('keeps every byte for 32 symbols (256 is a multiple of 32): byte 255 is the last symbol', () => {
    const source = (bytes: Uint8Array): void => {
      bytes.fill(255);
    };
    expect(sampleSymbols(CROCKFORD, 4, source)).toBe('ZZZZ');
    expect(sampleSymbols(CROCKFORD, 32, cyclingSource())).toBe(CROCKFORD);
  });

  it('a source that only returns rejected bytes is an internal error, not an endless loop', () => {
    const source = (bytes: Uint8Array): void => {
      bytes.fill(255);
    };
    expect(() => sampleSymbols(DIGITS, 10, source)).toThrow(SecondFactorError);
  });

  it('rejects alphabets of fewer than 2 symbols', () => {
    expect(() => sampleSymbols('A', 4, cyclingSource())).toThrow(SecondFactorError);
  });
});
