/**
 * @module
 * Conformance: `renameCredential` changes the label and nothing else (a rename never reopens a used
 * code), and only for the credential's owner (checklist H3).
 */
import { expect, it } from 'vitest';
import { emailCredential, freshId, type SuiteContext, totpCredential } from './fixtures';

/** Registers the tests of `renameCredential`. */
export function credentialRenameTests(ctx: SuiteContext): void {
  it('D2: a rename changes the label only: the secret, last used step, drift and times stay, and the used step stays used', async () => {
    const credential = totpCredential(freshId('user'), ctx.t0, {
      tenantId: freshId('tenant'),
      lastUsedStep: 5_000,
      driftSteps: -1,
      lastUsedAt: ctx.t0 + 1,
    });
    await ctx.store.addCredential(credential);
    const label = `Work phone ${freshId('')}`;
    expect(await ctx.store.renameCredential(credential.userId, credential.id, label)).toBe(true);
    expect(await ctx.store.getCredential(credential.userId, credential.id)).toEqual({ ...credential, label });
    expect(await ctx.store.recordOtpUse(credential.userId, credential.id, { step: 5_000, now: ctx.t0 })).toBe(
      false,
    );
    // Renaming to the same label again, or to the longest label addCredential accepts, is a rename too.
    expect(await ctx.store.renameCredential(credential.userId, credential.id, label)).toBe(true);
    const longest = 'L'.repeat(120);
    expect(await ctx.store.renameCredential(credential.userId, credential.id, longest)).toBe(true);
    expect((await ctx.store.getCredential(credential.userId, credential.id))?.label).toBe(longest);
  });

  it('renames an out-of-band credential and keeps its address', async () => {
    const credential = emailCredential(freshId('user'), ctx.t0, { address: 'owner@example.org' });
    await ctx.store.addCredential(credential);
    expect(await ctx.store.renameCredential(credential.userId, credential.id, 'Private mail')).toBe(true);
    expect(await ctx.store.getCredential(credential.userId, credential.id)).toEqual({
      ...credential,
      label: 'Private mail',
    });
  });

  it('H3: another user’s credential, even with its id, and an unknown one resolve false and change nothing', async () => {
    const [owner, intruder] = [freshId('user'), freshId('user')];
    const credential = totpCredential(owner, ctx.t0);
    await ctx.store.addCredential(credential);
    expect(await ctx.store.renameCredential(intruder, credential.id, 'Mine now')).toBe(false);
    expect(await ctx.store.renameCredential(owner, freshId('cred'), 'Nothing')).toBe(false);
    expect(await ctx.store.getCredential(owner, credential.id)).toEqual(credential);
    expect(await ctx.store.listCredentials(intruder)).toEqual([]);
    expect(await ctx.store.deleteCredential(owner, credential.id)).toBe(true);
    expect(await ctx.store.renameCredential(owner, credential.id, 'Deleted')).toBe(false);
  });
}
