/**
 * The gateway request signature: `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, checked against
 * node:crypto's HMAC as an independent implementation, and every way a header can be wrong.
 */
import { createHmac } from 'node:crypto';
import { signSmsRequest, verifySmsSignature } from '@secondfactor/channels';
import { describe, expect, it } from 'vitest';

const SECRET = 'gateway-secret-0123456789abcdef';
const T = 1_767_268_800;
const NOW = T * 1000;
const BODY = '{"to":"+15551234567","text":"493021 is your Acme sign-in code.","timestamp":1767268800}';
const reference = (secret: string, t: number, body: string): string =>
  createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');

describe('signSmsRequest / verifySmsSignature', () => {
  it('signs exactly HMAC-SHA256(secret, "<t>.<body>") in hex (node:crypto as reference)', () => {
    expect(signSmsRequest(SECRET, T, BODY)).toBe(`t=${T},v1=${reference(SECRET, T, BODY)}`);
    const bytes = new TextEncoder().encode(SECRET);
    expect(signSmsRequest(bytes, T, new TextEncoder().encode(BODY))).toBe(signSmsRequest(SECRET, T, BODY));
    const unicode = '{"text":"Код 493021 — Ünïcode"}';
    expect(signSmsRequest(SECRET, T, unicode)).toBe(`t=${T},v1=${reference(SECRET, T, unicode)}`);
  });

  it('accepts its own signature over the raw body as string or bytes', () => {
    const header = signSmsRequest(SECRET, T, BODY);
    expect(verifySmsSignature(header, BODY, { secret: SECRET, now: NOW })).toEqual({
      valid: true,
      timestamp: T,
    });
    expect(
      verifySmsSignature(header, new TextEncoder().encode(BODY), { secret: SECRET, now: NOW }).valid,
    ).toBe(true);
  });

  it('refuses a missing, malformed, stale, tampered or wrongly keyed request', () => {
    const good = signSmsRequest(SECRET, T, BODY);
    const v1 = good.split('v1=')[1] as string;
    const verify = (header: string | undefined, body = BODY, now = NOW) =>
      verifySmsSignature(header, body, { secret: SECRET, now });
    expect(verify(undefined)).toEqual({ valid: false, reason: 'missing' });
    expect(verify('')).toEqual({ valid: false, reason: 'missing' });
    for (const header of [
      `v1=${v1}`,
      `t=${T}`,
      `t=abc,v1=${v1}`,
      `t=${T},v1=${v1.toUpperCase()}`,
      `t=${T},v1=${v1.slice(1)}`,
      `t=${T},t=${T},v1=${v1}`,
      `t=${T};v1=${v1}`,
      `${good},${'x'.repeat(1100)}`,
    ]) {
      expect(verify(header), header).toEqual({ valid: false, reason: 'malformed' });
    }
    expect(verify(good, `${BODY} `)).toEqual({ valid: false, reason: 'mismatch' });
    expect(verify(`t=${T + 1},v1=${v1}`)).toEqual({ valid: false, reason: 'mismatch' });
    expect(verify(good, BODY, NOW + 301_000)).toEqual({ valid: false, reason: 'stale' });
    expect(verify(good, BODY, NOW - 301_000)).toEqual({ valid: false, reason: 'stale' });
    expect(verifySmsSignature(good, BODY, { secret: 'another-secret-0123456789abcdef', now: NOW })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('accepts any of several secrets during a rotation, and any of several v1 values', () => {
    const old = signSmsRequest('old-secret-0123456789abcdef', T, BODY);
    const secrets = ['new-secret-0123456789abcdef', 'old-secret-0123456789abcdef'];
    expect(verifySmsSignature(old, BODY, { secret: secrets, now: NOW }).valid).toBe(true);
    const fresh = signSmsRequest('new-secret-0123456789abcdef', T, BODY);
    const both = `${old},v1=${fresh.split('v1=')[1]}`;
    expect(verifySmsSignature(both, BODY, { secret: 'new-secret-0123456789abcdef', now: NOW }).valid).toBe(
      true,
    );
  });

  it('refuses bad options as invalid_argument, naming them', () => {
    const header = signSmsRequest(SECRET, T, BODY);
    expect(() => verifySmsSignature(header, BODY, { secret: 'short' })).toThrow(/^options\.secret must be/);
    expect(() => verifySmsSignature(header, BODY, { secret: [] })).toThrow(/^options\.secret must name/);
    expect(() => verifySmsSignature(header, BODY, { secret: SECRET, toleranceSeconds: -1 })).toThrow(
      /^options\.toleranceSeconds/,
    );
    expect(() => verifySmsSignature(header, 42 as never, { secret: SECRET })).toThrow(/^body must be/);
    expect(() => signSmsRequest(SECRET, -1, BODY)).toThrow(/^timestamp must be/);
  });
});
