/**
 * The warm path: each process keeps sealed credentials it read in a bounded cache (the start of a login
 * reads the user's apps, so it fills the cache for the code that answers it), so a TOTP login takes two
 * store calls (`getChallenge`, `completeLogin`) instead of three (`getCredentialForVerification`
 * between them). The store still decides replay, rotation, deletion and lockout in `completeLogin`, so a
 * copy made stale by another process costs a retry from the store, never a wrong answer: a rotated secret
 * passes after the retry, a deleted device is refused (H9), a step used elsewhere is a replay (D1, D2),
 * a lock set elsewhere holds (E1), and a success clears only the counters of the factor used (E6). A
 * wrong code is counted and audited in one more call (`failLogin`) after the login and the stored credential.
 * Two services over one store are two processes of one deployment.
 */
import { base32Encode, generateSecret } from '@secondfactor/core';
import type { LoginSuccess } from '@secondfactor/service';
import { SecretBox } from '@secondfactor/store';
import { expect, it } from 'vitest';
import {
  appCode,
  describeEachStore,
  enrolled,
  otherCode,
  rejection,
  STEP_MS,
  suiteStore,
  testClock,
} from './fixtures';
import {
  addApp,
  provedAt,
  recording,
  type ServiceHarness,
  secretKey,
  selfServiceTwoApps,
  serviceOver,
} from './service-helpers';

const WARM = ['getChallenge', 'completeLogin'];
const COLD = ['getChallenge', 'getCredentialForVerification', 'completeLogin'];
// A wrong code: the login, the stored credential with its locks, then one step that counts and audits.
const FAILED = ['getChallenge', 'getCredentialForVerification', 'failLogin'];

type User = { id: string; roles: string[] };

/**
 * A login of `user` one step later, started by `startedBy` and answered by `h` with `code(now)` (on
 * `deviceId` when given): its outcome (the proof, or the error code) and the store calls `verifyLogin` made.
 */
async function observe(
  h: ServiceHarness,
  calls: string[],
  user: User,
  code: (now: number) => string,
  deviceId?: string,
  startedBy: ServiceHarness = h,
): Promise<{ outcome: LoginSuccess | string; calls: string[] }> {
  h.clock.advance(STEP_MS);
  const start = await startedBy.twoFactor.startLogin(user);
  calls.length = 0;
  const outcome = await h.twoFactor
    .verifyLogin({ loginId: start.loginId ?? '', method: 'totp', code: code(h.clock()), deviceId })
    .catch((error: { code: string }) => error.code);
  return { outcome, calls: [...calls] };
}

/** Two processes over one recorded store, sharing the deployment's keys and time. */
function twoProcesses(store: ReturnType<typeof recording>['store'], policy = selfServiceTwoApps) {
  // k2 is in the ring already, as a key rotation requires, but seals nothing yet.
  const keys = { k1: secretKey(), k2: secretKey() };
  const box = new SecretBox({ keys, currentKeyId: 'k1' });
  const clock = testClock();
  return {
    keys,
    first: serviceOver(store, { policy, box, clock }),
    second: serviceOver(store, { policy, box, clock }),
  };
}

describeEachStore('the warm path', (openStore) => {
  const store = suiteStore(openStore);

  it('a login answered by the process that started it is getChallenge + completeLogin; one started in another process reads the credential (three calls), then is warm', async () => {
    const recorded = recording(store());
    const { first, second } = twoProcesses(recorded.store);
    const { user, manualKey } = await enrolled(first);
    const code = (now: number) => appCode(manualKey, now);

    const warm = await observe(first, recorded.calls, user, code);
    expect(warm.calls).toEqual(WARM);
    expect(warm.outcome).toMatchObject({ userId: user.id, method: 'totp' });
    // Started in the first, answered in the second: the second has never read the app.
    const cold = await observe(second, recorded.calls, user, code, undefined, first);
    expect(cold.calls).toEqual(COLD);
    expect(cold.outcome).toMatchObject({ userId: user.id, method: 'totp' });
    expect((await observe(second, recorded.calls, user, code, undefined, first)).calls).toEqual(WARM);

    const uncached = serviceOver(recorded.store, {
      box: first.box,
      clock: first.clock,
      credentialCacheSize: 0,
    });
    expect((await observe(uncached, recorded.calls, user, code)).calls).toEqual(COLD);
    expect((await observe(uncached, recorded.calls, user, code)).calls).toEqual(COLD);
  });

  it('a wrong code is getChallenge, the lock read and one failLogin, cold or warm: each counter and the login count one, and the audit record carries the counts', async () => {
    const recorded = recording(store());
    const { first } = twoProcesses(recorded.store);
    const { user, manualKey, confirmed } = await enrolled(first);
    const code = (now: number) => appCode(manualKey, now);
    const wrong = (now: number) => otherCode(code(now));
    const refused = { outcome: 'otp_invalid', calls: FAILED };
    expect(await observe(first, recorded.calls, user, wrong)).toEqual(refused);
    expect((await observe(first, recorded.calls, user, code)).calls).toEqual(WARM);

    // Warm: the cached copy may not call a code wrong, so the stored one is read (with the locks) once.
    first.clock.advance(STEP_MS);
    const start = await first.twoFactor.startLogin(user);
    recorded.calls.length = 0;
    const outcome = await rejection(
      first.twoFactor.verifyLogin({
        loginId: start.loginId ?? '',
        method: 'totp',
        code: wrong(first.clock()),
      }),
    );
    expect({ outcome: outcome.code, calls: [...recorded.calls] }).toEqual(refused);
    const now = first.clock();
    // The success between the two cleared the counters (E6): each holds this one failure.
    expect((await first.store.getFailures(`user:${user.id}`, { now })).count).toBe(1);
    expect((await first.store.getFailures(`cred:${confirmed.credentialId}`, { now })).count).toBe(1);
    const challengeId = (start.loginId ?? '').split('.')[0] ?? '';
    expect((await first.store.getChallenge(user.id, challengeId))?.attempts).toBe(1);
    const [record] = await first.store.listAudit({ userId: user.id, limit: 1 });
    expect(record).toMatchObject({
      type: 'login.failed',
      data: { method: 'totp', failures: 1, locked: false },
    });
  });

  it('the cache is bounded: with room for one credential, the least recently used one is read again', async () => {
    const recorded = recording(store());
    const h = serviceOver(recorded.store, { credentialCacheSize: 1 });
    // Logins started by another process, so that only the answers fill h's cache.
    const starter = serviceOver(recorded.store, { box: h.box, clock: h.clock });
    const ada = await enrolled(h);
    const bob = await enrolled(h);
    const adaCode = (now: number) => appCode(ada.manualKey, now);
    const bobCode = (now: number) => appCode(bob.manualKey, now);
    const answer = (user: User, code: (now: number) => string) =>
      observe(h, recorded.calls, user, code, undefined, starter);
    expect((await answer(ada.user, adaCode)).calls).toEqual(COLD);
    expect((await answer(ada.user, adaCode)).calls).toEqual(WARM);
    expect((await answer(bob.user, bobCode)).calls).toEqual(COLD);
    expect((await answer(ada.user, adaCode)).calls).toEqual(COLD);
  });

  it('key rotation: a copy sealed under the old key is refused by the store, retried from it, and the login passes', async () => {
    const recorded = recording(store());
    const { first, keys } = twoProcesses(recorded.store);
    const { user, manualKey, confirmed } = await enrolled(first);
    const code = (now: number) => appCode(manualKey, now);
    await observe(first, recorded.calls, user, code); // now warm

    // The rotation job re-seals the secret under k2 (the store's compare-and-set).
    const rotation = new SecretBox({ keys, currentKeyId: 'k2' });
    const binding = { userId: user.id, credentialId: confirmed.credentialId };
    const sealed =
      (await first.store.getCredential(user.id, confirmed.credentialId))?.otp?.secretCiphertext ?? '';
    const next = rotation.seal(first.box.open(sealed, binding), binding);
    expect(
      await first.store.replaceCredentialSecret(user.id, confirmed.credentialId, { expected: sealed, next }),
    ).toBe(true);

    // Started in the second (the first's start would read the re-sealed copy), answered in the first.
    const second = serviceOver(recorded.store, { box: first.box, clock: first.clock });
    const retried = await observe(first, recorded.calls, user, code, undefined, second);
    expect(retried.outcome).toMatchObject({ userId: user.id, method: 'totp' });
    expect(retried.calls).toEqual([
      'getChallenge',
      'completeLogin',
      'getCredentialForVerification',
      'completeLogin',
    ]);
    expect((await observe(first, recorded.calls, user, code)).calls).toEqual(WARM);
  });

  it("a secret replaced under the same device: the old app's code is refused, also with the old secret cached", async () => {
    const recorded = recording(store());
    const { first } = twoProcesses(recorded.store);
    const { user, manualKey, confirmed } = await enrolled(first);
    await observe(first, recorded.calls, user, (now) => appCode(manualKey, now)); // now warm
    await replaceSecret(first, user, confirmed.credentialId);
    const refused = await observe(first, recorded.calls, user, (now) => appCode(manualKey, now));
    expect(refused.outcome).toBe('otp_invalid');
  });

  it("a secret replaced under the same device: the new app's code passes at once, also with the old secret cached", async () => {
    const recorded = recording(store());
    const { first } = twoProcesses(recorded.store);
    const { user, manualKey, confirmed } = await enrolled(first);
    await observe(first, recorded.calls, user, (now) => appCode(manualKey, now)); // now warm
    const newKey = await replaceSecret(first, user, confirmed.credentialId);
    const passed = await observe(first, recorded.calls, user, (now) => appCode(newKey, now));
    expect(passed.outcome).toMatchObject({ userId: user.id, method: 'totp' });
    expect((await first.store.getFailures(`user:${user.id}`, { now: first.clock() })).count).toBe(0);
  });

  it('H9: a device another process removed is refused on the warm path, and nothing is counted', async () => {
    const recorded = recording(store());
    const { first, second } = twoProcesses(recorded.store);
    const { user, manualKey, confirmed } = await enrolled(first);
    const phone = await addApp(first, user);
    const phoneCode = (now: number) => appCode(phone.manualKey, now);
    await observe(first, recorded.calls, user, phoneCode, phone.credentialId); // now warm in the first

    await second.twoFactor.removeDevice(provedAt(user, first.clock(), 'totp'), {
      deviceId: phone.credentialId,
    });
    first.clock.advance(STEP_MS);
    const start = await first.twoFactor.startLogin(user);
    recorded.calls.length = 0;
    const refused = await rejection(
      first.twoFactor.verifyLogin({
        loginId: start.loginId ?? '',
        method: 'totp',
        code: phoneCode(first.clock()),
        deviceId: phone.credentialId,
      }),
    );
    expect(refused.code).toBe('challenge_expired');
    expect(recorded.calls).toEqual(['getChallenge', 'completeLogin', 'getCredentialForVerification']);
    expect((await first.store.getFailures(`user:${user.id}`, { now: first.clock() })).count).toBe(0);
    // The login itself is intact: the remaining app answers it.
    const proof = await first.twoFactor.verifyLogin({
      loginId: start.loginId ?? '',
      method: 'totp',
      code: appCode(manualKey, first.clock()),
      deviceId: confirmed.credentialId,
    });
    expect(proof.userId).toBe(user.id);
  });

  it('D1, D2: a step used through another process is a replay where the cached copy predates it', async () => {
    const recorded = recording(store());
    const { first, second } = twoProcesses(recorded.store);
    const { user, manualKey } = await enrolled(first);
    const code = (now: number) => appCode(manualKey, now);
    await observe(first, recorded.calls, user, code); // now warm in the first, at this step

    second.clock.advance(STEP_MS);
    const elsewhere = await second.twoFactor.startLogin(user);
    await second.twoFactor.verifyLogin({
      loginId: elsewhere.loginId ?? '',
      method: 'totp',
      code: code(second.clock()),
    });
    // Started where the step was used, so that the first's copy still predates it.
    const here = await second.twoFactor.startLogin(user);
    recorded.calls.length = 0;
    const replay = await rejection(
      first.twoFactor.verifyLogin({ loginId: here.loginId ?? '', method: 'totp', code: code(first.clock()) }),
    );
    expect(replay.code).toBe('otp_replayed');
    expect(recorded.calls).toEqual([
      'getChallenge',
      'completeLogin',
      'getCredentialForVerification',
      'appendAudit',
    ]);
    expect((await first.store.getFailures(`user:${user.id}`, { now: first.clock() })).count).toBe(0);
  });

  it('E1: a lock set through another process refuses the right code on the warm path', async () => {
    const recorded = recording(store());
    const { first, second } = twoProcesses(recorded.store);
    const { user, manualKey } = await enrolled(first);
    const code = (now: number) => appCode(manualKey, now);
    await observe(first, recorded.calls, user, code); // now warm in the first

    const wrong = await second.twoFactor.startLogin(user);
    for (let i = 0; i < 5; i++) {
      await rejection(
        second.twoFactor.verifyLogin({
          loginId: wrong.loginId ?? '',
          method: 'totp',
          code: otherCode(code(second.clock())),
        }),
      );
    }
    const locked = await observe(first, recorded.calls, user, code);
    expect(locked.outcome).toBe('locked_out');
    expect(locked.calls.slice(0, 3)).toEqual([
      'getChallenge',
      'completeLogin',
      'getCredentialForVerification',
    ]);
  });

  it('E6: a warm success clears the counters of the user and of the app used, not those of his other app', async () => {
    const recorded = recording(store());
    const { first } = twoProcesses(recorded.store);
    const { user, manualKey, confirmed } = await enrolled(first);
    const phone = await addApp(first, user);
    const code = (now: number) => appCode(manualKey, now);
    await observe(first, recorded.calls, user, code, confirmed.credentialId); // now warm

    const start = await first.twoFactor.startLogin(user);
    for (let i = 0; i < 2; i++) {
      await rejection(
        first.twoFactor.verifyLogin({
          loginId: start.loginId ?? '',
          method: 'totp',
          code: otherCode(appCode(phone.manualKey, first.clock())),
          deviceId: phone.credentialId,
        }),
      );
    }
    const failures = (key: string) =>
      first.store.getFailures(key, { now: first.clock() }).then((s) => s.count);
    expect(await failures(`cred:${phone.credentialId}`)).toBe(2);
    const success = await observe(first, recorded.calls, user, code, confirmed.credentialId);
    expect(success.calls).toEqual(WARM);
    expect(await failures(`user:${user.id}`)).toBe(0);
    expect(await failures(`cred:${confirmed.credentialId}`)).toBe(0);
    expect(await failures(`cred:${phone.credentialId}`)).toBe(2);
  });
});

/**
 * The host re-provisions the device: a new secret sealed under the same credential id, written with the
 * store's compare-and-set. Returns the new app's manual key.
 */
async function replaceSecret(h: ServiceHarness, user: User, credentialId: string): Promise<string> {
  const secret = generateSecret({ bytes: 20 });
  const expected = (await h.store.getCredential(user.id, credentialId))?.otp?.secretCiphertext ?? '';
  const next = h.box.seal(secret, { userId: user.id, credentialId });
  expect(await h.store.replaceCredentialSecret(user.id, credentialId, { expected, next })).toBe(true);
  return base32Encode(secret);
}
