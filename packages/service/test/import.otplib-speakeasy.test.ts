/**
 * `importCredential`: a host moving from otplib, otpauth or speakeasy brings its users' secrets along, and
 * the phones keep working. Codes here come from those libraries themselves, computed from the same secret
 * as the migrated phone computes them. The secret is sealed like any other (B6), checked for length
 * (B2), never returned or audited (B8, J1), and the last step the old system accepted stays used (D2, C4).
 */
import { selfService } from '@secondfactor/policy';
import { MemoryStore } from '@secondfactor/store';
import { Secret, TOTP } from 'otpauth';
import { generateSync as otplibCode, generateSecret as otplibSecret } from 'otplib';
import * as speakeasy from 'speakeasy';
import { describe, expect, it } from 'vitest';
import {
  asActor,
  describeEachStore,
  type Harness,
  harness,
  newUser,
  rejection,
  STEP_MS,
  suiteStore,
  testClock,
} from './fixtures';
import { selfServiceWithHotp } from './service-helpers';

const seconds = (ms: number): number => Math.floor(ms / 1000);

/** A login of `user` answered with `code` for `method`. */
async function answer(
  h: Harness,
  user: { id: string; roles: string[] },
  method: 'totp' | 'hotp',
  code: string,
) {
  const start = await h.twoFactor.startLogin(user);
  return h.twoFactor.verifyLogin({ loginId: start.loginId ?? '', method, code });
}

describeEachStore('importing from otplib, otpauth and speakeasy', (openStore) => {
  const store = suiteStore(openStore);

  it("otplib: the base32 secret and the last accepted step come over; the phone's next code passes, its last one is a replay (D2)", async () => {
    const h = await harness({ store: store(), clock: testClock() });
    const user = newUser();
    const secret = otplibSecret();
    const acceptedAt = h.clock() - STEP_MS; // the old system's last login
    const imported = await h.twoFactor.importCredential(asActor(user), {
      method: 'totp',
      secret,
      lastUsedStep: Math.floor(acceptedAt / STEP_MS),
      label: 'Phone (migrated)',
    });
    expect(imported).toEqual({ credentialId: expect.any(String), method: 'totp' });

    const start = await h.twoFactor.startLogin(user);
    expect(start).toMatchObject({
      state: 'challenge',
      methods: ['totp'],
      devices: [{ id: imported.credentialId, method: 'totp', label: 'Phone (migrated)' }],
    });
    const replay = await rejection(
      h.twoFactor.verifyLogin({
        loginId: start.loginId ?? '',
        method: 'totp',
        code: otplibCode({ secret, epoch: seconds(acceptedAt) }),
      }),
    );
    expect(replay.code).toBe('otp_replayed');
    const proof = await h.twoFactor.verifyLogin({
      loginId: start.loginId ?? '',
      method: 'totp',
      code: otplibCode({ secret, epoch: seconds(h.clock()) }),
    });
    expect(proof).toMatchObject({ userId: user.id, method: 'totp', fallback: false });

    // B6: the store holds the secret sealed; B8, J1: no answer, event or audit record holds it.
    const record = await h.store.getCredential(user.id, imported.credentialId);
    expect(record?.otp?.secretCiphertext).toMatch(/^sf1\./);
    expect(JSON.stringify(record)).not.toContain(secret);
    const audit = await h.store.listAudit({ userId: user.id, limit: 100 });
    expect(JSON.stringify([imported, h.events, audit])).not.toContain(secret);
    expect(h.events.find((e) => e.type === 'credential.imported')).toMatchObject({
      userId: user.id,
      actorId: user.id,
      data: { method: 'totp', credentialId: imported.credentialId },
    });
  });

  it('speakeasy: a hex secret, and a base32 one written in lowercase groups, both work as they did', async () => {
    const h = await harness({ store: store(), clock: testClock() });
    const fromHex = speakeasy.generateSecret({ length: 20 });
    const ada = newUser();
    await h.twoFactor.importCredential(asActor(ada), {
      method: 'totp',
      secret: fromHex.hex,
      encoding: 'hex',
    });
    const adaCode = speakeasy.totp({ secret: fromHex.base32, encoding: 'base32', time: seconds(h.clock()) });
    expect((await answer(h, ada, 'totp', adaCode)).userId).toBe(ada.id);

    const fromBase32 = speakeasy.generateSecret({ length: 20 });
    const bob = newUser();
    const typed = fromBase32.base32
      .toLowerCase()
      .replace(/(.{4})/g, '$1 ')
      .trim();
    await h.twoFactor.importCredential(asActor(bob), { method: 'totp', secret: typed });
    const bobCode = speakeasy.totp({ secret: fromBase32.hex, encoding: 'hex', time: seconds(h.clock()) });
    expect((await answer(h, bob, 'totp', bobCode)).userId).toBe(bob.id);
  });

  it('otpauth: SHA256, 8 digits and a 60-second period come over with the secret (A5: no key padding)', async () => {
    const h = await harness({ store: store(), clock: testClock() });
    const user = newUser();
    const phone = new TOTP({ secret: new Secret({ size: 20 }), algorithm: 'SHA256', digits: 8, period: 60 });
    await h.twoFactor.importCredential(asActor(user), {
      method: 'totp',
      secret: phone.secret.base32,
      algorithm: 'SHA256',
      digits: 8,
      period: 60,
    });
    const code = phone.generate({ timestamp: h.clock() });
    expect(code).toMatch(/^\d{8}$/);
    expect((await answer(h, user, 'totp', code)).method).toBe('totp');
    // The next 60-second period, not the next 30-second one, brings the next code.
    h.clock.advance(60_000);
    expect((await answer(h, user, 'totp', phone.generate({ timestamp: h.clock() }))).method).toBe('totp');
  });

  it('speakeasy HOTP: its stored counter is the next one expected, so lastUsedStep is counter − 1 (C4, C5)', async () => {
    const h = await harness({ store: store(), policy: selfServiceWithHotp, clock: testClock() });
    const user = newUser();
    const secret = speakeasy.generateSecret({ length: 20 });
    const nextExpected = 5; // speakeasy's `counter` column
    await h.twoFactor.importCredential(asActor(user), {
      method: 'hotp',
      secret: secret.base32,
      lastUsedStep: nextExpected - 1,
    });
    const hotp = (counter: number) => speakeasy.hotp({ secret: secret.base32, encoding: 'base32', counter });
    expect((await rejection(answer(h, user, 'hotp', hotp(nextExpected - 1)))).code).toBe('otp_invalid');
    expect((await answer(h, user, 'hotp', hotp(nextExpected))).method).toBe('hotp');
  });

  it("B2: a secret under 128 bits is refused, from base32 (otplib's JBSWY3DPEHPK3PXP) and from hex, and nothing is stored", async () => {
    const h = await harness({ store: store(), clock: testClock() });
    const user = newUser();
    for (const input of [
      { secret: 'JBSWY3DPEHPK3PXP' },
      { secret: '00112233445566778899aabbccddee', encoding: 'hex' as const },
    ]) {
      const error = await rejection(
        h.twoFactor.importCredential(asActor(user), { method: 'totp', ...input }),
      );
      expect(error.code).toBe('invalid_secret');
      expect(error.message).not.toContain(input.secret);
    }
    expect(await h.store.listCredentials(user.id)).toEqual([]);
    expect((await h.twoFactor.startLogin(user)).state).toBe('done');
  });
});

describe('importCredential refusals', () => {
  it('K2: a method the policy does not allow is refused (selfService has no HOTP)', async () => {
    const h = await harness({ policy: selfService });
    const user = newUser();
    const error = await rejection(
      h.twoFactor.importCredential(asActor(user), {
        method: 'hotp',
        secret: speakeasy.generateSecret({ length: 20 }).base32,
      }),
    );
    expect([error.code, error.detail?.reason]).toEqual(['policy_denied', 'method_not_allowed']);
    expect(await h.store.listCredentials(user.id)).toEqual([]);
  });

  it('bad secrets and options are typed errors naming the input', async () => {
    const h = await harness({ store: new MemoryStore() });
    const user = newUser();
    const good = otplibSecret();
    const importing = h.twoFactor.importCredential as (actor: unknown, input: unknown) => Promise<unknown>;
    const cases: ReadonlyArray<readonly [Record<string, unknown>, string]> = [
      [{ method: 'totp', secret: '1NVALID!SECRET01' }, 'invalid_base32'],
      [{ method: 'totp', secret: 'xyz', encoding: 'hex' }, 'invalid_argument'],
      [{ method: 'totp', secret: good, encoding: 'base64' }, 'invalid_argument'],
      [{ method: 'sms', secret: good }, 'invalid_argument'],
      [{ method: 'totp', secret: good, algorithm: 'MD5' }, 'invalid_argument'],
      [{ method: 'totp', secret: good, digits: 5 }, 'invalid_argument'],
      [{ method: 'totp', secret: good, digits: 9 }, 'invalid_argument'],
      [{ method: 'totp', secret: good, period: 10 }, 'invalid_argument'],
      [{ method: 'totp', secret: good, lastUsedStep: -1 }, 'invalid_argument'],
      [{ method: 'totp', secret: good, lastUsedStep: 1.5 }, 'invalid_argument'],
      [{ method: 'totp', secret: good, label: '' }, 'invalid_argument'],
      [{ method: 'totp', secret: 42 }, 'invalid_argument'],
      [{ method: 'totp', secret: 'A'.repeat(1025) }, 'invalid_argument'],
    ];
    for (const [input, code] of cases) {
      const error = await rejection(importing(asActor(user), input));
      expect([input, error.code]).toEqual([input, code]);
    }
    expect((await rejection(importing(asActor(user), null))).code).toBe('invalid_argument');
    expect((await rejection(importing({ id: '' }, { method: 'totp', secret: good }))).code).toBe(
      'invalid_argument',
    );
    expect(await h.store.listCredentials(user.id)).toEqual([]);
  });
});
