/**
 * Flash calls: the code is the last 3 to 6 digits of the calling number. `callerNumber` builds that
 * number; the console and memory providers check the callee and the suffix like a real provider.
 */
import {
  callerNumber,
  checkCallerSuffix,
  consoleVoiceProvider,
  memoryVoiceProvider,
} from '@secondfactor/channels';
import { describe, expect, it } from 'vitest';

const BAD_SUFFIXES: unknown[] = ['48', '4821337', '48a1', ' 4821', '٤٨٢١', '', 4821, undefined];

describe('callerNumber / checkCallerSuffix', () => {
  it('appends the code to the number block; the result is E.164', () => {
    expect(callerNumber('+4930123450', '4821')).toBe('+49301234504821');
    expect(callerNumber('+1555', '123456')).toBe('+1555123456');
  });

  it('G1: the suffix is 3 to 6 ASCII digits; nothing else is a flash-call code', () => {
    for (const suffix of ['482', '4821', '48213', '482133']) expect(checkCallerSuffix(suffix)).toBe(suffix);
    for (const suffix of BAD_SUFFIXES) {
      expect(() => checkCallerSuffix(suffix), String(suffix)).toThrow(
        /^options\.callerSuffix must be 3 to 6 digits/,
      );
      expect(() => callerNumber('+4930123450', suffix as string), String(suffix)).toThrow(
        /^suffix must be 3 to 6 digits/,
      );
    }
  });

  it('refuses a prefix that is not + and digits, or a result that is not E.164', () => {
    for (const prefix of ['4930123450', '+0930', '+49 30', '']) {
      expect(() => callerNumber(prefix, '4821'), prefix).toThrow(/^prefix must be/);
    }
    expect(() => callerNumber('+1234', '567')).toThrow(/^prefix \+ suffix must be an E\.164/);
    expect(() => callerNumber('+123456789012', '4821')).toThrow(/^prefix \+ suffix must be an E\.164/);
    expect(() => callerNumber('+1234567890123', '482')).toThrow(/^prefix must be/);
  });
});

describe('memoryVoiceProvider', () => {
  it('records each call as { to, callerSuffix }; last(to) is the newest to that number', async () => {
    const voice = memoryVoiceProvider();
    await voice.flashCall('+15551234567', { callerSuffix: '4821' });
    await voice.flashCall('+15559876543', { callerSuffix: '1111' });
    await voice.flashCall('+15551234567', { callerSuffix: '7305' });
    expect(voice.calls).toEqual([
      { to: '+15551234567', callerSuffix: '4821' },
      { to: '+15559876543', callerSuffix: '1111' },
      { to: '+15551234567', callerSuffix: '7305' },
    ]);
    expect(voice.last('+15551234567')).toEqual({ to: '+15551234567', callerSuffix: '7305' });
    voice.clear();
    expect(voice.calls).toEqual([]);
  });

  it('refuses a bad callee or suffix and records nothing', async () => {
    const voice = memoryVoiceProvider();
    await expect(voice.flashCall('5551234567', { callerSuffix: '4821' })).rejects.toThrow(
      /^to must be an E\.164/,
    );
    for (const callerSuffix of BAD_SUFFIXES) {
      await expect(voice.flashCall('+15551234567', { callerSuffix } as never)).rejects.toThrow(
        /^options\.callerSuffix/,
      );
    }
    await expect(voice.flashCall('+15551234567', undefined as never)).rejects.toThrow(
      /^options\.callerSuffix/,
    );
    expect(voice.calls).toEqual([]);
  });
});

describe('consoleVoiceProvider', () => {
  it('writes one line per call, with the full caller number when given the number block', async () => {
    const lines: string[] = [];
    await consoleVoiceProvider({ write: (l) => lines.push(l) }).flashCall('+15551234567', {
      callerSuffix: '4821',
    });
    await consoleVoiceProvider({ write: (l) => lines.push(l), callerPrefix: '+4930123450' }).flashCall(
      '+15551234567',
      {
        callerSuffix: '4821',
      },
    );
    expect(lines).toEqual([
      'flash call to +15551234567 from a number ending in 4821',
      'flash call to +15551234567 from +49301234504821',
    ]);
  });

  it('refuses a bad number block when created', () => {
    expect(() => consoleVoiceProvider({ callerPrefix: '4930' })).toThrow(/^options\.callerPrefix must be/);
  });
});
