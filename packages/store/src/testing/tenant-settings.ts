/**
 * @module
 * Conformance: tenant settings (checklist B6, H3). One record per tenant, replaced whole by every put,
 * its SMTP settings only sealed by `SecretBox`, the tenant's alone, and left alone by `resetUser` and
 * `sweepExpired`; a durable store shows it after a restart, and the raw dump never holds the password.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { expect, it } from 'vitest';
import { encodeBase64url } from '../base64url';
import type { TenantSettings } from '../records';
import { SecretBox } from '../secret-box';
import { skipper } from './capabilities';
import { fakeCiphertext, freshId, fulfilled, race, type SuiteContext, userSettings } from './fixtures';
import { as, BAD_IDS, BAD_TIMES, type Call, expectAllInvalid, PLAINTEXT_SECRETS } from './validation';

const tenantSettings = (tenantId: string, updatedAt: number, sealed = true): TenantSettings =>
  sealed ? { tenantId, smtpCiphertext: fakeCiphertext(), updatedAt } : { tenantId, updatedAt };

/** Registers the tenant-settings tests. */
export function tenantSettingsTests(ctx: SuiteContext): void {
  const skipBecause = skipper('tenant settings after a restart');

  it('a tenant never written reads as null', async () => {
    expect(await ctx.store.getTenantSettings(freshId('tenant'))).toBeNull();
  });

  it('reads back what was put, with and without smtpCiphertext', async () => {
    const sealed = tenantSettings(freshId('tenant'), ctx.t0);
    await ctx.store.putTenantSettings(sealed);
    expect(await ctx.store.getTenantSettings(sealed.tenantId)).toEqual(sealed);
    const plain = tenantSettings(freshId('tenant'), ctx.t0 + 1, false);
    await ctx.store.putTenantSettings(plain);
    const read = await ctx.store.getTenantSettings(plain.tenantId);
    expect(read).toEqual(plain);
    expect(read !== null && Object.hasOwn(read, 'smtpCiphertext')).toBe(false);
  });

  it('a put replaces the whole record: a later put without smtpCiphertext removes it', async () => {
    const tenantId = freshId('tenant');
    await ctx.store.putTenantSettings(tenantSettings(tenantId, ctx.t0));
    const second = tenantSettings(tenantId, ctx.t0 + 1);
    await ctx.store.putTenantSettings(second);
    expect(await ctx.store.getTenantSettings(tenantId)).toEqual(second);
    const third = tenantSettings(tenantId, ctx.t0 + 2, false);
    await ctx.store.putTenantSettings(third);
    expect(await ctx.store.getTenantSettings(tenantId)).toEqual(third);
  });

  it('H3: each tenant has its own record, also for ids that differ only in case or by a prefix', async () => {
    const base = freshId('tenant');
    const ids = [base, base.toUpperCase(), `${base}-sub`, `${base}:settings`, `x${base}`];
    const records = ids.map((tenantId, i) => tenantSettings(tenantId, ctx.t0 + i, i % 2 === 0));
    for (const record of records) await ctx.store.putTenantSettings(record);
    for (const record of records) expect(await ctx.store.getTenantSettings(record.tenantId)).toEqual(record);
    expect(await ctx.store.getTenantSettings(base.slice(0, -1))).toBeNull();
    const replaced = tenantSettings(base, ctx.t0 + 9, false);
    await ctx.store.putTenantSettings(replaced);
    expect(await ctx.store.getTenantSettings(base)).toEqual(replaced);
    for (const record of records.slice(1)) {
      expect(await ctx.store.getTenantSettings(record.tenantId)).toEqual(record);
    }
  });

  it('copies records in and out: changing a passed or returned object changes nothing stored', async () => {
    const settings = tenantSettings(freshId('tenant'), ctx.t0);
    const stored = { ...settings };
    await ctx.store.putTenantSettings(settings);
    settings.smtpCiphertext = fakeCiphertext();
    settings.updatedAt = ctx.t0 + 5;
    const read = await ctx.store.getTenantSettings(stored.tenantId);
    expect(read).toEqual(stored);
    if (read !== null) {
      read.smtpCiphertext = undefined;
      read.updatedAt = 0;
    }
    expect(await ctx.store.getTenantSettings(stored.tenantId)).toEqual(stored);
  });

  it('B6: bad records and ids are rejected with invalid_argument and nothing is written', async () => {
    const marker = freshId('marker');
    const tenantId = `${marker}-tenant`;
    // The marker also sits in the key id of every sealed value, so a bad tenant id leaves no trace either.
    const sealed = `sf1.${marker}.${'A'.repeat(60)}`;
    const cases: [string, Call][] = [
      ...BAD_IDS.map((bad, i): [string, Call] => [
        `putTenantSettings tenantId #${i}`,
        (s) => s.putTenantSettings(as({ tenantId: bad, smtpCiphertext: sealed, updatedAt: ctx.t0 })),
      ]),
      ...BAD_IDS.map((bad, i): [string, Call] => [
        `getTenantSettings #${i}`,
        (s) => s.getTenantSettings(as(bad)),
      ]),
      ...[...PLAINTEXT_SECRETS, `${marker}:smtp-password`, '', 42, null].map((bad, i): [string, Call] => [
        `putTenantSettings smtpCiphertext #${i}`,
        (s) => s.putTenantSettings(as({ tenantId, smtpCiphertext: bad, updatedAt: ctx.t0 })),
      ]),
      ...BAD_TIMES.map((bad, i): [string, Call] => [
        `putTenantSettings updatedAt #${i}`,
        (s) => s.putTenantSettings(as({ tenantId, smtpCiphertext: sealed, updatedAt: bad })),
      ]),
      ...[null, undefined, 'record', 42].map((bad): [string, Call] => [
        `putTenantSettings ${String(bad)}`,
        (s) => s.putTenantSettings(as(bad)),
      ]),
    ];
    await expectAllInvalid(ctx, cases);
    expect(await ctx.store.getTenantSettings(tenantId)).toBeNull();
    expect(await ctx.dumpRaw()).not.toContain(marker);
  });

  it('B6: a rejected put leaves the stored record exactly as it was', async () => {
    const settings = tenantSettings(freshId('tenant'), ctx.t0);
    await ctx.store.putTenantSettings(settings);
    const cases = PLAINTEXT_SECRETS.map((secret, i): [string, Call] => [
      `putTenantSettings plaintext #${i}`,
      (s) => s.putTenantSettings({ ...settings, smtpCiphertext: secret, updatedAt: ctx.t0 + 1 }),
    ]);
    await expectAllInvalid(ctx, [
      ...cases,
      ['putTenantSettings bad time', (s) => s.putTenantSettings({ ...settings, updatedAt: -1 })],
    ]);
    expect(await ctx.store.getTenantSettings(settings.tenantId)).toEqual(settings);
  });

  it('drops fields the record does not name, as every other record', async () => {
    const marker = freshId('marker');
    const settings = tenantSettings(freshId('tenant'), ctx.t0);
    await ctx.store.putTenantSettings(as({ ...settings, smtpPassword: marker, userId: marker }));
    expect(await ctx.store.getTenantSettings(settings.tenantId)).toEqual(settings);
    expect(await ctx.dumpRaw()).not.toContain(marker);
  });

  it('resetUser and sweepExpired leave tenant settings alone, also of a user named like the tenant', async () => {
    const tenantId = freshId('tenant');
    const settings = tenantSettings(tenantId, ctx.t0 - 1);
    await ctx.store.putTenantSettings(settings);
    const userId = freshId('user');
    await ctx.store.putUserSettings(userSettings(userId, ctx.t0 - 1, { tenantId }));
    await ctx.store.putUserSettings(userSettings(tenantId, ctx.t0 - 1, { tenantId }));
    await ctx.store.resetUser(userId);
    await ctx.store.resetUser(tenantId);
    expect(await ctx.store.getTenantSettings(tenantId)).toEqual(settings);
    await ctx.store.sweepExpired({ now: ctx.t0, limit: 1 });
    expect(await ctx.store.getTenantSettings(tenantId)).toEqual(settings);
  });

  it('concurrent puts leave one whole record of one of the writers, never a mixture', async () => {
    const tenantId = freshId('tenant');
    const writes = Array.from({ length: ctx.concurrency }, (_, i) =>
      tenantSettings(tenantId, ctx.t0 + i, i % 2 === 0),
    );
    fulfilled(await race(ctx.concurrency, (i) => ctx.store.putTenantSettings(writes[i]!)));
    const read = await ctx.store.getTenantSettings(tenantId);
    expect(writes).toContainEqual(read);
  });

  it('a durable store shows tenant settings to a second store opened over the same backend', async ({
    skip,
  }) => {
    if (!ctx.store.capabilities.durable) {
      return skipBecause(skip, 'capabilities.durable is false: nothing is promised after a restart');
    }
    if (ctx.reopen === undefined) {
      throw new Error('the store declares capabilities.durable but its ConformanceTarget has no reopen()');
    }
    const [sealed, plain] = [
      tenantSettings(freshId('tenant'), ctx.t0),
      tenantSettings(freshId('tenant'), ctx.t0, false),
    ];
    await ctx.store.putTenantSettings(sealed);
    await ctx.store.putTenantSettings(plain);
    const again = await ctx.reopen();
    try {
      expect(await again.getTenantSettings(sealed.tenantId)).toEqual(sealed);
      expect(await again.getTenantSettings(plain.tenantId)).toEqual(plain);
    } finally {
      await again.close();
    }
  });

  it('B6: the raw dump holds the sealed SMTP settings, never their password in clear', async () => {
    const tenantId = freshId('tenant');
    const box = new SecretBox({
      keys: { conformance: crypto.getRandomValues(new Uint8Array(32)) },
      currentKeyId: 'conformance',
    });
    const password = `smtp-pass-${freshId('')}`;
    const smtp = new TextEncoder().encode(
      JSON.stringify({ host: 'smtp.example.org', port: 587, user: 'otp', pass: password }),
    );
    const binding = { userId: `tenant:${tenantId}`, credentialId: 'smtp' };
    const smtpCiphertext = box.seal(smtp, binding);
    await ctx.store.putTenantSettings({ tenantId, smtpCiphertext, updatedAt: ctx.t0 });

    const dump = await ctx.dumpRaw();
    // Positive control: the dump does show this tenant's record.
    expect(dump).toContain(smtpCiphertext);
    const passwordBytes = new TextEncoder().encode(password);
    for (const spelling of [password, bytesToHex(passwordBytes), encodeBase64url(passwordBytes)]) {
      expect(dump.includes(spelling), 'B6: the SMTP password is in the raw dump').toBe(false);
    }
    const stored = await ctx.store.getTenantSettings(tenantId);
    expect(box.open(stored?.smtpCiphertext ?? '', binding)).toEqual(smtp);
  });
}
