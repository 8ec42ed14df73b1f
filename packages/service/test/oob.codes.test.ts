/**
 * The delivered codes themselves: uniform digits (G1), only a keyed digest stored (G5), and the code in
 * the message and nowhere else — no response, event, audit record or error holds it (G7, J1).
 */
import { createPolicy } from '@secondfactor/policy';
import { createTwoFactor } from '@secondfactor/service';
import { MemoryStore, SecretBox } from '@secondfactor/store';
import { describe, expect, it } from 'vitest';
import { codeDigest, generateCode } from '../src/oob/codes';
import type { ServiceContext } from '../src/options';
import { asActor, codeSent, newUser, rejection } from './fixtures';
import { afterCooldown, emailCode, oobHarness, smsCode, withCodes, wrongCode } from './oob-helpers';

/** A source that returns 0, 1, …, 255, 0, 1, …: every byte value equally often. */
function countingRandom(): { random: (bytes: Uint8Array) => void; drawn: () => number } {
  let next = 0;
  let drawn = 0;
  return {
    random: (bytes) => {
      for (let i = 0; i < bytes.length; i++) {
        bytes[i] = next;
        next = (next + 1) % 256;
      }
      drawn += bytes.length;
    },
    drawn: () => drawn,
  };
}

function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((sum, count) => sum + count, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

// χ² for 9 degrees of freedom at p = 0.05.
const CRITICAL = 16.919;

describe('G1: uniform digits from the CSPRNG', () => {
  it('G1: 10^4 six-digit codes from a counting source: every digit at every position equally often (χ² = 0)', () => {
    const source = countingRandom();
    const perPosition = Array.from({ length: 6 }, () => new Array<number>(10).fill(0));
    for (let i = 0; i < 10_000; i++) {
      const code = generateCode(source.random, 6);
      expect(code).toMatch(/^[0-9]{6}$/);
      [...code].forEach((digit, position) => {
        const row = perPosition[position] ?? [];
        row[Number(digit)] = (row[Number(digit)] ?? 0) + 1;
      });
    }
    const all = Array.from({ length: 10 }, (_, d) =>
      perPosition.reduce((sum, row) => sum + (row[d] ?? 0), 0),
    );
    expect(chiSquare(all)).toBeLessThan(0.05);
    // Rejection sampling drew more than one byte per digit: the bytes 250–255 were thrown away.
    expect(source.drawn()).toBeGreaterThan(60_000);
  });

  it('the same counting source read as byte % 10 fails the test: this is the bias rejection sampling removes', () => {
    const source = countingRandom();
    const bytes = new Uint8Array(60_000);
    source.random(bytes);
    const counts = new Array<number>(10).fill(0);
    for (const byte of bytes) counts[byte % 10] = (counts[byte % 10] ?? 0) + 1;
    expect(chiSquare(counts)).toBeGreaterThan(CRITICAL);
  });

  it('the codes the service sends come from the injected source', async () => {
    let calls = 0;
    const random = (bytes: Uint8Array): void => {
      calls++;
      crypto.getRandomValues(bytes);
    };
    const h = oobHarness({ random });
    const before = calls;
    await h.twoFactor.addAddress(asActor(newUser()), { method: 'email', address: 'g1@example.com' });
    expect(calls).toBeGreaterThan(before);
  });
});

describe('G5: only a keyed digest of a code is stored', () => {
  it('G5: the store holds no code, in any form a dump would show', async () => {
    const store = new MemoryStore();
    const h = oobHarness({ store });
    const user = newUser();
    const added = await codeSent(
      h.twoFactor.addAddress(asActor(user), { method: 'sms', address: '+4915100000040' }),
    );
    const code = smsCode(h, '+4915100000040');
    const challenge = await store.getChallenge(user.id, `${added.enrollmentId}.verify`);
    expect(challenge?.digest).toMatch(/^[0-9a-f]{64}$/);
    const dump = JSON.stringify(await store.listAudit({ userId: user.id })) + JSON.stringify(challenge);
    expect(dump).not.toContain(code);
  });

  it('G4: the digest of one code differs per user, challenge and purpose', () => {
    const ctx = { codeKey: new Uint8Array(32).fill(1) } as unknown as ServiceContext;
    const base = { userId: 'u1', challengeId: 'c1', purpose: 'login' } as const;
    const digests = new Set([
      codeDigest(ctx, base, '123456'),
      codeDigest(ctx, { ...base, userId: 'u2' }, '123456'),
      codeDigest(ctx, { ...base, challengeId: 'c2' }, '123456'),
      codeDigest(ctx, { ...base, purpose: 'enroll' }, '123456'),
      codeDigest(ctx, { ...base, userId: 'u1c', challengeId: '1' }, '123456'),
    ]);
    expect(digests.size).toBe(5);
  });
});

describe('G7, J1: the code is in the message only', () => {
  it('G7: no response, event, audit record or error of a full add/verify/login run holds a code', async () => {
    const h = oobHarness();
    const user = newUser();
    const seen: unknown[] = [];
    const codes: string[] = [];
    const added = await codeSent(
      h.twoFactor.addAddress(asActor(user), { method: 'email', address: 'g7@example.com' }),
    );
    seen.push(added);
    codes.push(emailCode(h, 'g7@example.com'));
    seen.push(
      await rejection(
        h.twoFactor.verifyAddress(asActor(user), {
          enrollmentId: added.enrollmentId,
          code: wrongCode(codes[0] ?? ''),
        }),
      ),
    );
    afterCooldown(h);
    seen.push(await h.twoFactor.resendAddressCode(asActor(user), { enrollmentId: added.enrollmentId }));
    codes.push(emailCode(h, 'g7@example.com'));
    seen.push(
      await h.twoFactor.verifyAddress(asActor(user), {
        enrollmentId: added.enrollmentId,
        code: codes[1] ?? '',
      }),
    );
    afterCooldown(h);
    const start = await h.twoFactor.startLogin(user);
    seen.push(start);
    const loginId = start.loginId ?? '';
    seen.push(await h.twoFactor.sendLoginCode({ loginId, method: 'email' }));
    codes.push(emailCode(h, 'g7@example.com'));
    seen.push(await rejection(h.twoFactor.sendLoginCode({ loginId, method: 'email' })));
    seen.push(await h.twoFactor.verifyLogin({ loginId, method: 'email', code: codes[2] ?? '' }));
    seen.push(h.events, await h.store.listAudit({ userId: user.id }));

    const text = JSON.stringify(seen, (_, value) =>
      value instanceof Error ? { ...value, message: value.message, stack: value.stack } : value,
    );
    for (const code of codes) expect(text).not.toContain(code);
    // Events name the destination by its hint only.
    expect(text).not.toContain('g7@example.com');
    expect(h.events.filter((e) => e.type === 'code.sent').map((e) => e.data.hint)).toEqual([
      'g***@example.com',
      'g***@example.com',
      'g***@example.com',
    ]);
  });
});

describe('options of delivered codes', () => {
  const base = () => ({
    store: new MemoryStore(),
    secretBox: new SecretBox({
      keys: { k1: crypto.getRandomValues(new Uint8Array(32)) },
      currentKeyId: 'k1',
    }),
    policy: createPolicy(withCodes),
    issuer: 'Example',
  });

  it('codeKey is required with channels when only a backupCodeHasher was given, and must be 32 bytes', async () => {
    const { createBackupCodeHasher } = await import('@secondfactor/backup-codes');
    const backupCodeHasher = createBackupCodeHasher({ key: new Uint8Array(32).fill(3) });
    const email = { sendCode: async () => {} };
    expect(() => createTwoFactor({ ...base(), backupCodeHasher, channels: { email } })).toThrow(
      /options\.codeKey/,
    );
    expect(() =>
      createTwoFactor({ ...base(), backupCodeHasher, channels: { email }, codeKey: new Uint8Array(16) }),
    ).toThrow(/options\.codeKey/);
    expect(() =>
      createTwoFactor({
        ...base(),
        backupCodeHasher,
        channels: { email },
        codeKey: new Uint8Array(32).fill(4),
      }),
    ).not.toThrow();
  });

  it('a channel without its method, and voice without the SMS fallback the policy asks for, are refused', async () => {
    const { multiMethod } = await import('@secondfactor/policy');
    const backupCodeKey = new Uint8Array(32).fill(5);
    expect(() => createTwoFactor({ ...base(), backupCodeKey, channels: { sms: {} as never } })).toThrow(
      /options\.channels\.sms/,
    );
    expect(() =>
      createTwoFactor({
        ...base(),
        policy: createPolicy(multiMethod),
        backupCodeKey,
        channels: { voice: { flashCall: async () => {} } },
      }),
    ).toThrow(/options\.channels\.sms/);
  });
});
