/**
 * The development SMS providers and the code SMS text: the console provider prints one line, the memory
 * provider keeps an inspectable outbox, both check numbers like a real provider; `smsCodeText` says
 * code, issuer, purpose and lifetime, and can add the WebOTP origin-bound line.
 */
import { type CodeMessage, consoleSmsProvider, memorySmsProvider, smsCodeText } from '@secondfactor/channels';
import { describe, expect, it } from 'vitest';

const MESSAGE: CodeMessage = { code: '493021', issuer: 'Acme', purpose: 'login', ttlSeconds: 600 };

describe('smsCodeText', () => {
  it('puts the code first, then issuer, purpose, lifetime and a warning', () => {
    expect(smsCodeText(MESSAGE)).toBe(
      '493021 is your Acme sign-in code. It expires in 10 minutes. Did not ask for it? Do not share it with anyone.',
    );
    expect(smsCodeText({ ...MESSAGE, purpose: 'disable', ttlSeconds: 90 })).toBe(
      '493021 is your Acme code to turn off two-step verification. It expires in 1 minute. ' +
        'Did not ask for it? Do not share it with anyone.',
    );
    expect(smsCodeText({ ...MESSAGE, ttlSeconds: 45 })).toContain('It expires in 45 seconds.');
  });

  it('fits one SMS for a typical issuer', () => {
    expect(smsCodeText(MESSAGE).length).toBeLessThanOrEqual(160);
  });

  it('adds the origin-bound line "@domain #code" when given a domain', () => {
    expect(smsCodeText(MESSAGE, { domain: 'acme.example' }).split('\n').at(-1)).toBe('@acme.example #493021');
    for (const domain of [
      'https://acme.example',
      'acme.example:443',
      'acme.example/path',
      'ACME.example',
      '',
    ]) {
      expect(() => smsCodeText(MESSAGE, { domain }), domain).toThrow(/^options\.domain/);
    }
  });

  it('refuses a malformed message, naming the field and never quoting the code', () => {
    expect(() => smsCodeText({ ...MESSAGE, code: '' })).toThrow(/^message\.code/);
    expect(() => smsCodeText({ ...MESSAGE, code: '49 30 21' })).toThrow(/^message\.code/);
    expect(() => smsCodeText({ ...MESSAGE, issuer: 'Acme\r\nBcc: x' })).toThrow(/^message\.issuer/);
    expect(() => smsCodeText({ ...MESSAGE, purpose: 'reset' as never })).toThrow(/^message\.purpose/);
    expect(() => smsCodeText({ ...MESSAGE, ttlSeconds: 0 })).toThrow(/^message\.ttlSeconds/);
    expect(() => smsCodeText({ ...MESSAGE, ttlSeconds: 1.5 })).toThrow(/^message\.ttlSeconds/);
    expect(() => smsCodeText(null as never)).toThrow(/^message must be an object/);
  });
});

describe('consoleSmsProvider', () => {
  it('writes one line per message', async () => {
    const lines: string[] = [];
    const sms = consoleSmsProvider({ write: (line) => lines.push(line) });
    await sms.send('+15551234567', 'line one\nline two');
    expect(lines).toEqual(['sms to +15551234567: "line one\\nline two"']);
  });

  it('checks the number and the text like a real provider', async () => {
    const lines: string[] = [];
    const sms = consoleSmsProvider({ write: (line) => lines.push(line) });
    await expect(sms.send('5551234567', 'x')).rejects.toThrow(/^to must be an E\.164/);
    await expect(sms.send('+15551234567', '')).rejects.toThrow(/^text must be/);
    await expect(sms.send('+15551234567', 'x'.repeat(1601))).rejects.toThrow(/^text must be/);
    expect(lines).toEqual([]);
  });
});

describe('memorySmsProvider', () => {
  it('records every message; last(to) is the newest one to that number', async () => {
    const sms = memorySmsProvider();
    await sms.send('+15551234567', 'one');
    await sms.send('+15559876543', 'two');
    await sms.send('+15551234567', 'three');
    expect(sms.messages).toEqual([
      { to: '+15551234567', text: 'one' },
      { to: '+15559876543', text: 'two' },
      { to: '+15551234567', text: 'three' },
    ]);
    expect(sms.last('+15551234567')?.text).toBe('three');
    expect(sms.last()?.text).toBe('three');
    expect(sms.last('+15550000000')).toBeUndefined();
    sms.clear();
    expect(sms.messages).toEqual([]);
  });

  it('refuses a number that is not E.164 and records nothing', async () => {
    const sms = memorySmsProvider();
    await expect(sms.send('+0123', 'x')).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(sms.messages).toEqual([]);
  });
});
