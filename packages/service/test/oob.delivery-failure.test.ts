/**
 * A code whose delivery failed never stays valid: the provider's `delivery_failed` reaches the caller,
 * and the challenge that held the code's digest is gone from the store (G3, G5).
 */
import { SecondFactorError } from '@secondfactor/core';
import { createPolicy } from '@secondfactor/policy';
import { createTwoFactor } from '@secondfactor/service';
import { MemoryStore, SecretBox } from '@secondfactor/store';
import { describe, expect, it } from 'vitest';
import { asActor, backupCodeKey, codeSent, newUser, rejection, testClock } from './fixtures';
import { withCodes } from './oob-helpers';

describe('a failed delivery', () => {
  it('G3: leaves no code behind, for a new address and for a login', async () => {
    const store = new MemoryStore();
    const clock = testClock();
    let failing = false;
    const sent: string[] = [];
    const twoFactor = createTwoFactor({
      store,
      secretBox: new SecretBox({
        keys: { k1: crypto.getRandomValues(new Uint8Array(32)) },
        currentKeyId: 'k1',
      }),
      backupCodeKey,
      policy: createPolicy(withCodes),
      issuer: 'Example',
      clock,
      channels: {
        email: {
          sendCode: async (to, message) => {
            if (failing)
              throw new SecondFactorError('delivery_failed', 'the SMTP server refused the message');
            sent.push(`${to} ${message.code}`);
          },
        },
      },
    });
    const user = newUser();
    // The challenges that could still take a code (a used one stays, consumed, until the sweep).
    const challengeKinds = () =>
      (
        JSON.parse(store.exportSnapshot()) as { challenges: { kind: string; consumedAt?: number }[] }
      ).challenges
        .filter((challenge) => challenge.consumedAt === undefined)
        .map((challenge) => challenge.kind);

    failing = true;
    const added = await rejection(
      twoFactor.addAddress(asActor(user), { method: 'email', address: 'ada@example.com' }),
    );
    expect(added.code).toBe('delivery_failed');
    expect(challengeKinds()).toEqual([]);

    // With the address set up, a login whose code cannot be sent keeps only the login itself.
    failing = false;
    clock.advance(31_000); // the wait between two sends to one address
    const retry = await codeSent(
      twoFactor.addAddress(asActor(user), { method: 'email', address: 'ada@example.com' }),
    );
    const code = sent.at(-1)?.split(' ')[1] ?? '';
    await twoFactor.verifyAddress(asActor(user), { enrollmentId: retry.enrollmentId, code });
    clock.advance(31_000);
    const start = await twoFactor.startLogin(user);
    failing = true;
    const error = await rejection(twoFactor.sendLoginCode({ loginId: start.loginId ?? '', method: 'email' }));
    expect(error.code).toBe('delivery_failed');
    expect(challengeKinds()).toEqual(['login']);
  });
});
