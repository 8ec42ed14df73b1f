/**
 * The state kept in the session is read back only when it has our shape: a damaged or foreign value
 * (another library's key, a hand-edited cookie session) reads as no state, never as a signed-in one.
 */
import { describe, expect, it } from 'vitest';
import { parseState, type SecondFactorSession } from '../src/session-state';

const valid: SecondFactorSession = {
  v: 1,
  user: { id: 'ada', roles: [] },
  passwordAt: 1,
  csrfToken: 't',
  signedIn: { secondFactor: { at: 1, method: 'totp' }, sessionEpoch: 0 },
  pending: null,
};

describe('parseState', () => {
  it('reads a state of our shape', () => {
    expect(parseState(structuredClone(valid))).toEqual(valid);
    const waiting = { ...valid, linkId: 'AAAAAAAAAAAAAAAAAAAAAA' };
    expect(parseState(structuredClone(waiting))).toEqual(waiting);
  });

  it.each([
    ['nothing', undefined],
    ['another version', { ...valid, v: 2 }],
    ['no user', { ...valid, user: null }],
    ['roles not a list', { ...valid, user: { id: 'ada', roles: 'admin' } }],
    [
      'a made-up method',
      { ...valid, signedIn: { secondFactor: { at: 1, method: 'magic' }, sessionEpoch: 0 } },
    ],
    ['an epoch as text', { ...valid, signedIn: { secondFactor: null, sessionEpoch: '0' } }],
    ['signedIn: true', { ...valid, signedIn: true }],
    ['a pending login without its id', { ...valid, pending: { state: 'challenge' } }],
    ['a Telegram link id as a number', { ...valid, linkId: 7 }],
  ])('reads %s as no state', (_name, value) => {
    expect(parseState(value)).toBeNull();
  });
});
