/**
 * CSRF (checklist I9): the synchronizer token compared in constant time, or the Origin check with its
 * `Sec-Fetch-Site` fallback.
 */
import { isSecondFactorError } from '@secondfactor/core';
import { describe, expect, it } from 'vitest';
import { checkCsrf, newCsrfToken } from '../src/csrf';

const refused = (run: () => void): boolean => {
  try {
    run();
    return false;
  } catch (error) {
    return isSecondFactorError(error) && error.code === 'csrf_failed';
  }
};

describe('CSRF', () => {
  it('tokens are 256-bit base64url values, new each time', () => {
    const a = newCsrfToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newCsrfToken()).not.toBe(a);
  });

  it('I9: token mode passes the session token in the header and refuses anything else', () => {
    const token = newCsrfToken();
    const mode = { mode: 'token' } as const;
    expect(refused(() => checkCsrf(mode, { 'x-csrf-token': token }, token))).toBe(false);
    expect(refused(() => checkCsrf(mode, {}, token))).toBe(true);
    expect(refused(() => checkCsrf(mode, { 'x-csrf-token': `${token}x` }, token))).toBe(true);
    expect(refused(() => checkCsrf(mode, { 'x-csrf-token': token }, undefined))).toBe(true);
    expect(refused(() => checkCsrf({ mode: 'token', header: 'x-xsrf' }, { 'x-xsrf': token }, token))).toBe(
      false,
    );
  });

  it("I9: origin mode passes an allowed Origin, or the Host's own origin, or Sec-Fetch-Site: same-origin", () => {
    const listed = { mode: 'origin', origins: ['https://app.example.com'] } as const;
    expect(refused(() => checkCsrf(listed, { origin: 'https://app.example.com' }, undefined))).toBe(false);
    expect(refused(() => checkCsrf(listed, { origin: 'https://evil.example' }, undefined))).toBe(true);
    expect(refused(() => checkCsrf(listed, { origin: 'null' }, undefined))).toBe(true);
    expect(refused(() => checkCsrf(listed, {}, undefined))).toBe(true);
    expect(refused(() => checkCsrf(listed, { 'sec-fetch-site': 'same-origin' }, undefined))).toBe(false);
    expect(refused(() => checkCsrf(listed, { 'sec-fetch-site': 'cross-site' }, undefined))).toBe(true);
    const own = { mode: 'origin' } as const;
    expect(
      refused(() =>
        checkCsrf(own, { origin: 'https://app.example.com', host: 'app.example.com' }, undefined),
      ),
    ).toBe(false);
    expect(
      refused(() => checkCsrf(own, { origin: 'https://evil.example', host: 'app.example.com' }, undefined)),
    ).toBe(true);
  });
});
