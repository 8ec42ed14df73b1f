/**
 * @module
 * Conformance: `switchCredential` switches a device off and on and changes nothing else (a switched-off
 * device stays verified and listed, and is not "2FA on" in the summaries), only for its owner (checklist
 * H3); `listAddressHolders` answers who in one tenant holds an address, exactly, in order, up to its
 * limit, and never a deleted credential, whichever primitive deleted it.
 */
import { expect, it } from 'vitest';
import type { CredentialRecord } from '../records';
import type { AddressHolder } from '../store-types';
import {
  emailCredential,
  freshId,
  pendingTotp,
  type SuiteContext,
  totpCredential,
  userSettings,
} from './fixtures';

/** A phone number no other test (or run against a shared database) holds. */
const freshNumber = (): string =>
  `+1555${Array.from(crypto.getRandomValues(new Uint32Array(3)), (n) => n % 10_000)
    .map((n) => String(n).padStart(4, '0'))
    .join('')}`;

/** An SMS credential of `userId` holding `address`. */
const smsCredential = (
  userId: string,
  t0: number,
  address: string,
  extra: Partial<CredentialRecord> = {},
): CredentialRecord => emailCredential(userId, t0, { kind: 'sms', label: 'Phone', address, ...extra });

/** What `listAddressHolders` answers for `credential`. */
const holderOf = (credential: CredentialRecord): AddressHolder => ({
  userId: credential.userId,
  ...(credential.tenantId === undefined ? {} : { tenantId: credential.tenantId }),
  credentialId: credential.id,
  kind: credential.kind,
  ...(credential.switchedOffAt === undefined ? {} : { switchedOffAt: credential.switchedOffAt }),
});

/** Registers the tests of `switchCredential`. */
export function credentialSwitchTests(ctx: SuiteContext): void {
  it('switching off shows switchedOffAt in every read and drops the method from the summary; switching on removes both', async () => {
    const userId = freshId('user');
    const totp = totpCredential(userId, ctx.t0);
    const email = emailCredential(userId, ctx.t0 + 1);
    for (const credential of [totp, email]) await ctx.store.addCredential(credential);
    const offAt = ctx.t0 + 5;
    expect(await ctx.store.switchCredential(userId, email.id, offAt)).toBe(true);
    const off = { ...email, switchedOffAt: offAt };
    expect(await ctx.store.listCredentials(userId)).toEqual([totp, off]);
    expect(await ctx.store.getCredential(userId, email.id)).toEqual(off);
    const read = await ctx.store.getCredentialForVerification(userId, email.id, {
      now: ctx.t0,
      failureKeys: [],
    });
    expect(read.credential).toEqual(off);
    expect(await ctx.store.getTwoFactorSummaries([userId])).toEqual([
      { userId, methods: ['totp'], credentials: 2, backupCodesRemaining: 0 },
    ]);

    expect(await ctx.store.switchCredential(userId, email.id, null)).toBe(true);
    const on = await ctx.store.getCredential(userId, email.id);
    expect(on).toEqual(email);
    expect(on !== null && 'switchedOffAt' in on).toBe(false);
    expect(await ctx.store.listCredentials(userId)).toEqual([totp, email]);
    expect(await ctx.store.getTwoFactorSummaries([userId])).toEqual([
      { userId, methods: ['email', 'totp'], credentials: 2, backupCodesRemaining: 0 },
    ]);
  });

  it('a user whose every device is switched off has no method: 2FA is not on, the devices are still counted', async () => {
    const userId = freshId('user');
    const credentials = [totpCredential(userId, ctx.t0), emailCredential(userId, ctx.t0)];
    for (const credential of credentials) await ctx.store.addCredential(credential);
    for (const credential of credentials)
      expect(await ctx.store.switchCredential(userId, credential.id, ctx.t0)).toBe(true);
    expect(await ctx.store.getTwoFactorSummaries([userId])).toEqual([
      { userId, methods: [], credentials: 2, backupCodesRemaining: 0 },
    ]);
  });

  it('D2: a switch changes nothing else: the secret, label, last used step, drift and times stay, and the used step stays used', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0, {
      tenantId: freshId('tenant'),
      lastUsedStep: 5_000,
      driftSteps: -1,
      lastUsedAt: ctx.t0 + 1,
    });
    const { userId, id } = credential;
    await ctx.store.addCredential(credential);
    const label = `Work phone ${freshId('')}`;
    expect(await ctx.store.renameCredential(userId, id, label)).toBe(true);
    const renamed = { ...credential, label };
    expect(await ctx.store.switchCredential(userId, id, ctx.t0 + 2)).toBe(true);
    expect(await ctx.store.getCredential(userId, id)).toEqual({ ...renamed, switchedOffAt: ctx.t0 + 2 });
    // Switching off again replaces the time.
    expect(await ctx.store.switchCredential(userId, id, ctx.t0 + 3)).toBe(true);
    expect(await ctx.store.getCredential(userId, id)).toEqual({ ...renamed, switchedOffAt: ctx.t0 + 3 });
    const otp = await ctx.store.listOtpCredentials({ after: id.slice(0, -1), limit: 1_000 });
    expect(otp.find((item) => item.id === id)).toEqual({ ...renamed, switchedOffAt: ctx.t0 + 3 });
    expect(await ctx.store.recordOtpUse(userId, id, { step: 5_000, now: ctx.t0 })).toBe(false);
    expect(await ctx.store.switchCredential(userId, id, null)).toBe(true);
    expect(await ctx.store.getCredential(userId, id)).toEqual(renamed);
    // Switching on a switched-on credential is a switch too, and changes nothing.
    expect(await ctx.store.switchCredential(userId, id, null)).toBe(true);
    expect(await ctx.store.getCredential(userId, id)).toEqual(renamed);
    expect(await ctx.store.recordOtpUse(userId, id, { step: 5_000, now: ctx.t0 })).toBe(false);
  });

  it('H3: another user’s credential, even with its id, and an unknown one resolve false and change nothing', async () => {
    const [owner, intruder] = [freshId('user'), freshId('user')];
    const credential = totpCredential(owner, ctx.t0);
    await ctx.store.addCredential(credential);
    expect(await ctx.store.switchCredential(intruder, credential.id, ctx.t0)).toBe(false);
    expect(await ctx.store.switchCredential(owner, freshId('cred'), ctx.t0)).toBe(false);
    expect(await ctx.store.getCredential(owner, credential.id)).toEqual(credential);
    expect(await ctx.store.listCredentials(intruder)).toEqual([]);
    expect((await ctx.store.getTwoFactorSummaries([owner]))[0]?.methods).toEqual(['totp']);
    // A switched-off credential of the owner is not switched on by another user either.
    expect(await ctx.store.switchCredential(owner, credential.id, ctx.t0 + 1)).toBe(true);
    expect(await ctx.store.switchCredential(intruder, credential.id, null)).toBe(false);
    expect((await ctx.store.getCredential(owner, credential.id))?.switchedOffAt).toBe(ctx.t0 + 1);
    expect(await ctx.store.deleteCredential(owner, credential.id)).toBe(true);
    expect(await ctx.store.switchCredential(owner, credential.id, null)).toBe(false);
  });

  it('addCredential keeps a switchedOffAt it is given; confirmEnrollment creates a switched-on credential', async () => {
    const userId = freshId('user');
    const off = smsCredential(userId, ctx.t0, freshNumber(), { switchedOffAt: ctx.t0 - 1 });
    await ctx.store.addCredential(off);
    expect(await ctx.store.getCredential(userId, off.id)).toEqual(off);
    expect(await ctx.store.listCredentials(userId)).toEqual([off]);
    expect((await ctx.store.getTwoFactorSummaries([userId]))[0]?.methods).toEqual([]);
    const pending = pendingTotp(userId, ctx.t0);
    await ctx.store.createPendingEnrollment(pending);
    const confirmed = await ctx.store.confirmEnrollment(userId, pending.id, { now: ctx.t0 + 1 });
    expect(confirmed.status).toBe('ok');
    const created = confirmed.status === 'ok' ? confirmed.credential : undefined;
    expect(created?.switchedOffAt).toBeUndefined();
    expect((await ctx.store.getCredential(userId, pending.id))?.switchedOffAt).toBeUndefined();
    expect((await ctx.store.getTwoFactorSummaries([userId]))[0]?.methods).toEqual(['totp']);
    expect(await ctx.store.switchCredential(userId, off.id, null)).toBe(true);
    expect((await ctx.store.getTwoFactorSummaries([userId]))[0]?.methods).toEqual(['sms', 'totp']);
  });
}

/** Registers the tests of `listAddressHolders`. */
export function addressHolderTests(ctx: SuiteContext): void {
  it('finds the credentials of one tenant holding exactly the address, switched on or off, ordered by user id then credential id', async () => {
    const [tenantId, otherTenant] = [freshId('tenant'), freshId('tenant')];
    const address = freshNumber();
    const [base, cred] = [freshId('user'), freshId('cred')];
    const [first, second] = [`${base}-a`, `${base}-b`];
    // Created in an order that is neither the user order nor the id order.
    const holders = [
      smsCredential(second, ctx.t0, address, { tenantId, id: `${cred}-1` }),
      smsCredential(first, ctx.t0 + 1, address, { tenantId, id: `${cred}-3`, switchedOffAt: ctx.t0 }),
      emailCredential(first, ctx.t0 + 2, { tenantId, id: `${cred}-2`, kind: 'voice', address }),
    ];
    const others = [
      smsCredential(freshId('user'), ctx.t0, address, { tenantId: otherTenant }),
      smsCredential(freshId('user'), ctx.t0, address),
      smsCredential(first, ctx.t0, address.replace('+', '00'), { tenantId }),
      smsCredential(first, ctx.t0, `${address} `, { tenantId }),
      smsCredential(first, ctx.t0, address.slice(0, -1), { tenantId }),
      emailCredential(first, ctx.t0, { tenantId, address: `${freshId('mail')}@example.org` }),
      totpCredential(first, ctx.t0, { tenantId }),
    ];
    for (const credential of [...holders, ...others]) await ctx.store.addCredential(credential);
    await ctx.store.putUserSettings(userSettings(first, ctx.t0, { tenantId }));
    expect(await ctx.store.switchCredential(second, `${cred}-1`, ctx.t0 + 9)).toBe(true);
    const switched = { ...holders[0]!, switchedOffAt: ctx.t0 + 9 };

    expect(await ctx.store.listAddressHolders({ tenantId, address })).toEqual([
      holderOf(holders[2]!),
      holderOf(holders[1]!),
      holderOf(switched),
    ]);
    expect(await ctx.store.listAddressHolders({ tenantId: otherTenant, address })).toEqual([
      holderOf(others[0]!),
    ]);
    expect(await ctx.store.listAddressHolders({ tenantId: freshId('tenant'), address })).toEqual([]);
    expect(await ctx.store.listAddressHolders({ tenantId, address: `${address}0` })).toEqual([]);
  });

  it('a query without a tenant finds only credentials without a tenant, and a tenant’s query never finds them', async () => {
    const tenantId = freshId('tenant');
    const address = `${freshId('mail')}@Example.org`;
    const loose = emailCredential(freshId('user'), ctx.t0, { address });
    const held = emailCredential(freshId('user'), ctx.t0, { tenantId, address });
    await ctx.store.addCredential(loose);
    await ctx.store.addCredential(held);
    expect(await ctx.store.listAddressHolders({ address })).toEqual([holderOf(loose)]);
    expect(await ctx.store.listAddressHolders({ address, tenantId: undefined })).toEqual([holderOf(loose)]);
    expect(await ctx.store.listAddressHolders({ tenantId, address })).toEqual([holderOf(held)]);
    // Exact: no case folding.
    expect(await ctx.store.listAddressHolders({ address: address.toLowerCase() })).toEqual([]);
  });

  it('answers at most limit holders, 10 without one, the first in order', async () => {
    const tenantId = freshId('tenant');
    const address = freshNumber();
    const base = freshId('user');
    const credentials = Array.from({ length: 12 }, (_, i) =>
      smsCredential(`${base}-${String(i).padStart(2, '0')}`, ctx.t0, address, { tenantId }),
    );
    for (const credential of [...credentials].reverse()) await ctx.store.addCredential(credential);
    const all = credentials.map(holderOf);
    expect(await ctx.store.listAddressHolders({ tenantId, address })).toEqual(all.slice(0, 10));
    expect(await ctx.store.listAddressHolders({ tenantId, address, limit: 3 })).toEqual(all.slice(0, 3));
    expect(await ctx.store.listAddressHolders({ tenantId, address, limit: 1 })).toEqual(all.slice(0, 1));
    expect(await ctx.store.listAddressHolders({ tenantId, address, limit: 100 })).toEqual(all);
  });

  it('H9: a deleted credential is not answered: deleteCredential, the replaces of confirmEnrollment, resetUser', async () => {
    const tenantId = freshId('tenant');
    const address = freshNumber();
    const base = freshId('user');
    const [deleted, replaced, reset, kept] = ['a', 'b', 'c', 'd'].map((n) =>
      smsCredential(`${base}-${n}`, ctx.t0, address, { tenantId }),
    ) as [CredentialRecord, CredentialRecord, CredentialRecord, CredentialRecord];
    for (const credential of [deleted, replaced, reset, kept]) await ctx.store.addCredential(credential);
    const list = () => ctx.store.listAddressHolders({ tenantId, address });
    expect(await list()).toEqual([deleted, replaced, reset, kept].map(holderOf));

    expect(await ctx.store.deleteCredential(deleted.userId, deleted.id)).toBe(true);
    expect(await list()).toEqual([replaced, reset, kept].map(holderOf));

    // "Change number": the new device holds another number; the replaced one is gone with it.
    const pending = {
      ...pendingTotp(replaced.userId, ctx.t0, { tenantId }),
      kind: 'sms' as const,
      otp: undefined,
      address: freshNumber(),
    };
    await ctx.store.createPendingEnrollment(pending);
    const confirmed = await ctx.store.confirmEnrollment(replaced.userId, pending.id, {
      now: ctx.t0,
      replaces: [replaced.id],
    });
    expect(confirmed.status).toBe('ok');
    expect(await list()).toEqual([reset, kept].map(holderOf));
    expect(await ctx.store.listAddressHolders({ tenantId, address: pending.address })).toEqual([
      { userId: replaced.userId, tenantId, credentialId: pending.id, kind: 'sms' },
    ]);

    expect((await ctx.store.resetUser(reset.userId)).credentials).toBe(1);
    expect(await list()).toEqual([holderOf(kept)]);

    // Added again after its deletion, a credential is answered again.
    await ctx.store.addCredential(deleted);
    expect(await list()).toEqual([deleted, kept].map(holderOf));
  });

  it('a confirmed enrollment holding an address is answered with its tenant, switched on', async () => {
    const tenantId = freshId('tenant');
    const address = freshNumber();
    const userId = freshId('user');
    const pending = {
      ...pendingTotp(userId, ctx.t0, { tenantId }),
      kind: 'voice' as const,
      otp: undefined,
      address,
    };
    await ctx.store.createPendingEnrollment(pending);
    // A pending enrollment holds no address yet: only a confirmed credential does.
    expect(await ctx.store.listAddressHolders({ tenantId, address })).toEqual([]);
    expect((await ctx.store.confirmEnrollment(userId, pending.id, { now: ctx.t0 })).status).toBe('ok');
    expect(await ctx.store.listAddressHolders({ tenantId, address })).toEqual([
      { userId, tenantId, credentialId: pending.id, kind: 'voice' },
    ]);
  });
}
