/**
 * E.164 phone numbers: `+`, a first digit that is not 0, 8 to 15 digits in all, nothing else.
 */
import { assertE164, isE164 } from '@secondfactor/channels';
import { SecondFactorError } from '@secondfactor/core';
import { describe, expect, it } from 'vitest';

describe('isE164 / assertE164', () => {
  it('accepts + and 8 to 15 digits, the first not 0', () => {
    for (const number of ['+15551234567', '+4915112345678', '+12345678', '+123456789012345']) {
      expect(isE164(number), number).toBe(true);
      expect(assertE164(number)).toBe(number);
    }
  });

  it('refuses everything else: no +, a leading 0, too short or long, separators, non-ASCII digits, non-strings', () => {
    for (const number of [
      '15551234567',
      '+05551234567',
      '+1234567',
      '+1234567890123456',
      '+1 555 123 4567',
      '+1-555-1234567',
      '+1(555)1234567',
      '+١٥٥٥١٢٣٤٥٦٧',
      ' +15551234567',
      '+15551234567\n',
      '',
      15551234567,
      undefined,
      null,
    ]) {
      expect(isE164(number), String(number)).toBe(false);
    }
  });

  it('names the parameter in the error and never quotes the number', () => {
    const error = (() => {
      try {
        assertE164('+0551234567', 'phone');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(SecondFactorError);
    expect((error as SecondFactorError).code).toBe('invalid_argument');
    expect((error as SecondFactorError).message).toMatch(/^phone must be an E\.164 phone number/);
    expect((error as SecondFactorError).message).not.toContain('0551234567');
    expect(() => assertE164('nope')).toThrow(/^to must be/);
  });
});
