/**
 * @module
 * Conformance: user settings, tenant lists, "who has 2FA" summaries and credentials (CRUD, isolation
 * between users, the replay guard and the secret compare-and-set).
 */
import { expect, it } from 'vitest';
import {
  emailCredential,
  expectRejection,
  fakeCiphertext,
  freshId,
  randomDigest,
  type SuiteContext,
  totpCredential,
  userSettings,
} from './fixtures';

/** Registers the user-settings tests. */
export function settingsTests(ctx: SuiteContext): void {
  it('stores, replaces and reads settings; an unknown user reads as null', async () => {
    const userId = freshId('user');
    expect(await ctx.store.getUserSettings(userId)).toBeNull();
    const first = userSettings(userId, ctx.t0, {
      tenantId: freshId('tenant'),
      useTwoFactor: true,
      graceStartedAt: ctx.t0,
    });
    await ctx.store.putUserSettings(first);
    expect(await ctx.store.getUserSettings(userId)).toEqual(first);
    const second = userSettings(userId, ctx.t0 + 1, {
      useTwoFactor: false,
      mayToggle: false,
      backupCodesAcknowledgedAt: ctx.t0,
    });
    await ctx.store.putUserSettings(second);
    expect(await ctx.store.getUserSettings(userId)).toEqual(second);
  });

  it('copies records in and out: changing a passed or returned object changes nothing stored', async () => {
    const userId = freshId('user');
    const settings = userSettings(userId, ctx.t0, { useTwoFactor: true });
    await ctx.store.putUserSettings(settings);
    settings.useTwoFactor = false;
    const read = await ctx.store.getUserSettings(userId);
    expect(read?.useTwoFactor).toBe(true);
    if (read !== null) read.mayToggle = false;
    expect((await ctx.store.getUserSettings(userId))?.mayToggle).toBe(true);
  });

  it('lists the users of one tenant only, ordered by user id, a page at a time', async () => {
    const [tenantA, tenantB] = [freshId('tenant'), freshId('tenant')];
    const prefix = freshId('user');
    const usersA = ['c', 'a', 'e', 'b', 'd'].map((suffix) => `${prefix}-${suffix}`);
    const usersB = [`${prefix}-f`, `${prefix}-0`];
    await Promise.all(
      usersA.map((id) => ctx.store.putUserSettings(userSettings(id, ctx.t0, { tenantId: tenantA }))),
    );
    await Promise.all(
      usersB.map((id) => ctx.store.putUserSettings(userSettings(id, ctx.t0, { tenantId: tenantB }))),
    );
    const all = await ctx.store.listUserSettings(tenantA);
    expect(all.map((item) => item.userId)).toEqual([...usersA].sort());
    const page1 = await ctx.store.listUserSettings(tenantA, { limit: 2 });
    expect(page1.map((item) => item.userId)).toEqual([`${prefix}-a`, `${prefix}-b`]);
    const page2 = await ctx.store.listUserSettings(tenantA, { after: page1[1]?.userId, limit: 2 });
    expect(page2.map((item) => item.userId)).toEqual([`${prefix}-c`, `${prefix}-d`]);
    const page3 = await ctx.store.listUserSettings(tenantA, { after: `${prefix}-d`, limit: 2 });
    expect(page3.map((item) => item.userId)).toEqual([`${prefix}-e`]);
    expect(await ctx.store.listUserSettings(freshId('tenant'))).toEqual([]);
  });

  it('moving a user to another tenant removes him from the old tenant list', async () => {
    const [tenantA, tenantB] = [freshId('tenant'), freshId('tenant')];
    const userId = freshId('user');
    await ctx.store.putUserSettings(userSettings(userId, ctx.t0, { tenantId: tenantA }));
    await ctx.store.putUserSettings(userSettings(userId, ctx.t0 + 1, { tenantId: tenantB }));
    expect(await ctx.store.listUserSettings(tenantA)).toEqual([]);
    expect((await ctx.store.listUserSettings(tenantB)).map((item) => item.userId)).toEqual([userId]);
  });

  it('summarises which methods each user has, in the order asked, including users without any', async () => {
    const [withBoth, withNone, withTotp] = [freshId('user'), freshId('user'), freshId('user')];
    await ctx.store.addCredential(totpCredential(withBoth, ctx.t0));
    await ctx.store.addCredential(totpCredential(withBoth, ctx.t0));
    await ctx.store.addCredential(emailCredential(withBoth, ctx.t0));
    await ctx.store.addCredential(totpCredential(withTotp, ctx.t0));
    await ctx.store.replaceBackupCodes(withBoth, {
      digests: [randomDigest(), randomDigest(), randomDigest()],
      now: ctx.t0,
    });
    const summaries = await ctx.store.getTwoFactorSummaries([withTotp, withNone, withBoth]);
    expect(summaries.map((item) => ({ ...item, methods: [...item.methods].sort() }))).toEqual([
      { userId: withTotp, methods: ['totp'], credentials: 1, backupCodesRemaining: 0 },
      { userId: withNone, methods: [], credentials: 0, backupCodesRemaining: 0 },
      { userId: withBoth, methods: ['email', 'totp'], credentials: 3, backupCodesRemaining: 3 },
    ]);
    expect(await ctx.store.getTwoFactorSummaries([])).toEqual([]);
  });
}

/** Registers the credential tests. */
export function credentialTests(ctx: SuiteContext): void {
  it('adds and reads back a TOTP and an e-mail credential unchanged', async () => {
    const userId = freshId('user');
    const totp = totpCredential(userId, ctx.t0, {
      tenantId: freshId('tenant'),
      driftSteps: -1,
      lastUsedStep: 5,
    });
    const email = emailCredential(userId, ctx.t0 + 1);
    await ctx.store.addCredential(totp);
    await ctx.store.addCredential(email);
    expect(await ctx.store.getCredential(userId, totp.id)).toEqual(totp);
    expect(await ctx.store.getCredential(userId, email.id)).toEqual(email);
    const listed = await ctx.store.listCredentials(userId);
    expect(listed.map((item) => item.id).sort()).toEqual([totp.id, email.id].sort());
    expect(await ctx.store.getCredential(userId, freshId('cred'))).toBeNull();
  });

  it('H3: a user cannot read or delete another user’s credential, even with its id', async () => {
    const [owner, intruder] = [freshId('user'), freshId('user')];
    const credential = totpCredential(owner, ctx.t0);
    await ctx.store.addCredential(credential);
    await ctx.store.addCredential(totpCredential(intruder, ctx.t0));
    expect(await ctx.store.getCredential(intruder, credential.id)).toBeNull();
    expect(await ctx.store.deleteCredential(intruder, credential.id)).toBe(false);
    expect((await ctx.store.listCredentials(intruder)).map((item) => item.id)).not.toContain(credential.id);
    expect(await ctx.store.getCredential(owner, credential.id)).toEqual(credential);
  });

  it('rejects a second credential with an existing id as conflict and keeps the first', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0);
    await ctx.store.addCredential(credential);
    const other = totpCredential(freshId('user'), ctx.t0, { id: credential.id });
    await expectRejection(() => ctx.store.addCredential(other), 'conflict');
    expect(await ctx.store.getCredential(credential.userId, credential.id)).toEqual(credential);
    expect(await ctx.store.getCredential(other.userId, credential.id)).toBeNull();
  });

  it('copies credentials in and out', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0);
    const original = structuredClone(credential);
    await ctx.store.addCredential(credential);
    credential.label = 'changed after add';
    const read = await ctx.store.getCredential(credential.userId, credential.id);
    expect(read).toEqual(original);
    if (read?.otp !== undefined) read.otp.secretCiphertext = fakeCiphertext();
    expect(await ctx.store.getCredential(credential.userId, credential.id)).toEqual(original);
  });

  it('H9: a deleted credential is gone for every later call, and a second delete is false', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0);
    await ctx.store.addCredential(credential);
    expect(await ctx.store.deleteCredential(credential.userId, credential.id)).toBe(true);
    expect(await ctx.store.getCredential(credential.userId, credential.id)).toBeNull();
    expect(await ctx.store.deleteCredential(credential.userId, credential.id)).toBe(false);
    expect(await ctx.store.recordOtpUse(credential.userId, credential.id, { step: 10, now: ctx.t0 })).toBe(
      false,
    );
  });

  it('D1/D2: records a step once; the same or an earlier step is refused, a later one accepted', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0);
    await ctx.store.addCredential(credential);
    expect(
      await ctx.store.recordOtpUse(credential.userId, credential.id, {
        step: 1000,
        now: ctx.t0 + 1,
        driftSteps: 1,
      }),
    ).toBe(true);
    expect(
      await ctx.store.recordOtpUse(credential.userId, credential.id, { step: 1000, now: ctx.t0 + 2 }),
    ).toBe(false);
    expect(
      await ctx.store.recordOtpUse(credential.userId, credential.id, { step: 999, now: ctx.t0 + 3 }),
    ).toBe(false);
    expect(await ctx.store.getCredential(credential.userId, credential.id)).toMatchObject({
      lastUsedStep: 1000,
      driftSteps: 1,
      lastUsedAt: ctx.t0 + 1,
    });
    expect(
      await ctx.store.recordOtpUse(credential.userId, credential.id, {
        step: 1001,
        now: ctx.t0 + 4,
        driftSteps: -1,
      }),
    ).toBe(true);
    expect(await ctx.store.getCredential(credential.userId, credential.id)).toMatchObject({
      lastUsedStep: 1001,
      driftSteps: -1,
      lastUsedAt: ctx.t0 + 4,
    });
  });

  it('D2: step 0 is accepted on a credential never used, and a recorded lastUsedStep guards from the start', async () => {
    const fresh = totpCredential(freshId('user'), ctx.t0);
    await ctx.store.addCredential(fresh);
    expect(await ctx.store.recordOtpUse(fresh.userId, fresh.id, { step: 0, now: ctx.t0 })).toBe(true);
    expect(await ctx.store.recordOtpUse(fresh.userId, fresh.id, { step: 0, now: ctx.t0 })).toBe(false);
    const imported = totpCredential(freshId('user'), ctx.t0, { lastUsedStep: 500 });
    await ctx.store.addCredential(imported);
    expect(await ctx.store.recordOtpUse(imported.userId, imported.id, { step: 500, now: ctx.t0 })).toBe(
      false,
    );
    expect(await ctx.store.recordOtpUse(imported.userId, imported.id, { step: 501, now: ctx.t0 })).toBe(true);
  });

  it('C5: an HOTP counter moves forward only (compare-and-set), also for large counters', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0, {
      kind: 'hotp',
      otp: { secretCiphertext: fakeCiphertext(), algorithm: 'SHA1', digits: 6 },
    });
    await ctx.store.addCredential(credential);
    const big = 2 ** 53 - 2;
    expect(await ctx.store.recordOtpUse(credential.userId, credential.id, { step: 4, now: ctx.t0 })).toBe(
      true,
    );
    expect(await ctx.store.recordOtpUse(credential.userId, credential.id, { step: 3, now: ctx.t0 })).toBe(
      false,
    );
    expect(await ctx.store.recordOtpUse(credential.userId, credential.id, { step: big, now: ctx.t0 })).toBe(
      true,
    );
    expect(await ctx.store.recordOtpUse(credential.userId, credential.id, { step: big, now: ctx.t0 })).toBe(
      false,
    );
    expect((await ctx.store.getCredential(credential.userId, credential.id))?.lastUsedStep).toBe(big);
  });

  it('recordOtpUse on an unknown credential is false', async () => {
    expect(await ctx.store.recordOtpUse(freshId('user'), freshId('cred'), { step: 1, now: ctx.t0 })).toBe(
      false,
    );
  });

  it('H3: recordOtpUse and replaceCredentialSecret treat another user’s credential as unknown', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0, { lastUsedStep: 10 });
    await ctx.store.addCredential(credential);
    const key = freshId('key');
    await ctx.store.registerFailure(key, {
      now: ctx.t0,
      limits: { maxFailures: 5, windowMs: 60_000, lockoutMs: 60_000 },
    });
    const other = freshId('user');
    const sealed = credential.otp?.secretCiphertext ?? '';
    expect(
      await ctx.store.recordOtpUse(other, credential.id, {
        step: 11,
        now: ctx.t0 + 1,
        ifSecret: sealed,
        clearFailures: [key],
      }),
    ).toBe(false);
    expect(
      await ctx.store.replaceCredentialSecret(other, credential.id, {
        expected: sealed,
        next: fakeCiphertext(),
      }),
    ).toBe(false);
    // Nothing changed: the step, the secret and the counter the refused call named.
    expect(await ctx.store.getCredential(credential.userId, credential.id)).toEqual(credential);
    expect(await ctx.store.getFailures(key, { now: ctx.t0 + 1 })).toEqual({ count: 1, lockedUntil: null });
    // The owner still can.
    expect(
      await ctx.store.recordOtpUse(credential.userId, credential.id, { step: 11, now: ctx.t0 + 1 }),
    ).toBe(true);
  });

  it('replaces a sealed secret only while it still equals the expected one', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0);
    await ctx.store.addCredential(credential);
    const old = credential.otp?.secretCiphertext ?? '';
    const [next, stale] = [fakeCiphertext(), fakeCiphertext()];
    expect(
      await ctx.store.replaceCredentialSecret(credential.userId, credential.id, { expected: stale, next }),
    ).toBe(false);
    expect(
      await ctx.store.replaceCredentialSecret(credential.userId, credential.id, { expected: old, next }),
    ).toBe(true);
    expect(
      await ctx.store.replaceCredentialSecret(credential.userId, credential.id, {
        expected: old,
        next: fakeCiphertext(),
      }),
    ).toBe(false);
    expect((await ctx.store.getCredential(credential.userId, credential.id))?.otp?.secretCiphertext).toBe(
      next,
    );
    expect(
      await ctx.store.replaceCredentialSecret(freshId('user'), freshId('cred'), { expected: old, next }),
    ).toBe(false);
    const email = emailCredential(freshId('user'), ctx.t0);
    await ctx.store.addCredential(email);
    expect(await ctx.store.replaceCredentialSecret(email.userId, email.id, { expected: old, next })).toBe(
      false,
    );
    expect(await ctx.store.getCredential(email.userId, email.id)).toEqual(email);
  });

  it('lists credentials with a sealed secret in id order, a page at a time, without out-of-band ones', async () => {
    const userId = freshId('user');
    const prefix = freshId('cred');
    const ids = ['3', '1', '5', '2', '4'].map((suffix) => `${prefix}-${suffix}`);
    for (const id of ids) await ctx.store.addCredential(totpCredential(userId, ctx.t0, { id }));
    await ctx.store.addCredential(emailCredential(userId, ctx.t0, { id: `${prefix}-25` }));
    const seen: string[] = [];
    let after: string | undefined = prefix;
    for (let page = 0; page < 10; page++) {
      const rows = await ctx.store.listOtpCredentials({ after, limit: 2 });
      expect(rows.length).toBeLessThanOrEqual(2);
      const ours = rows.filter((row) => row.id.startsWith(`${prefix}-`));
      seen.push(...ours.map((row) => row.id));
      if (rows.length < 2 || ours.length < rows.length) break;
      after = rows[rows.length - 1]?.id;
    }
    expect(seen).toEqual([...ids].sort());
    const first = await ctx.store.listOtpCredentials({ after: prefix, limit: 1 });
    expect(first[0]?.otp).toBeDefined();
  });
}
