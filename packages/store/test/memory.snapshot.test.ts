import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSecondFactorError } from '@secondfactor/core';
import { MemoryStore } from '@secondfactor/store';
import { runStoreConformance } from '@secondfactor/store/testing';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'sf-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = (): string => join(dir, `store-${++files}.json`);

const T0 = Date.UTC(2025, 10, 23);
// Every record list of a snapshot but the settings, empty.
const EMPTY = {
  credentials: [],
  pending: [],
  backupCodes: [],
  challenges: [],
  failures: [],
  devices: [],
  audit: [],
};
const sealed = `sf1.k1.${'A'.repeat(60)}`;
const digest = (n: number): string => n.toString(16).padStart(64, '0');

// The whole suite again, with every change written through to disk; the raw dump is the file itself.
const suiteFile = freshFile();
// `reopen` reads the file as a restarted application would (capabilities.durable).
runStoreConformance('memory+snapshot', async () => {
  const store = await MemoryStore.open({ snapshotFile: suiteFile });
  return {
    store,
    dumpRaw: async () => readFileSync(suiteFile, 'utf8'),
    close: () => store.close(),
    reopen: () => MemoryStore.open({ snapshotFile: suiteFile }),
  };
});

async function seed(store: MemoryStore): Promise<void> {
  await store.putUserSettings({
    userId: 'u1',
    tenantId: 't1',
    useTwoFactor: true,
    mayToggle: false,
    updatedAt: T0,
  });
  await store.addCredential({
    id: 'c1',
    userId: 'u1',
    kind: 'totp',
    label: 'Phone',
    otp: { secretCiphertext: sealed, algorithm: 'SHA1', digits: 6, period: 30 },
    createdAt: T0,
  });
  await store.recordOtpUse('u1', 'c1', { step: 100, now: T0, driftSteps: 1 });
  await store.createPendingEnrollment({
    id: 'p1',
    userId: 'u1',
    kind: 'email',
    label: 'Mail',
    address: 'a@example.org',
    createdAt: T0,
    expiresAt: T0 + 600_000,
  });
  await store.replaceBackupCodes('u1', { digests: [digest(1), digest(2), digest(3)], salt: 'aa', now: T0 });
  await store.consumeBackupCode('u1', digest(2));
  await store.createChallenge({
    id: 'ch1',
    userId: 'u1',
    kind: 'sms',
    purpose: 'login',
    digest: digest(9),
    createdAt: T0,
    expiresAt: T0 + 600_000,
    maxAttempts: 5,
    data: { a: 1 },
  });
  await store.consumeChallenge('u1', 'ch1', { digest: digest(8), now: T0 });
  await store.registerFailure('u1:totp', {
    now: T0,
    limits: { maxFailures: 1, windowMs: 1_000, lockoutMs: 60_000 },
  });
  await store.addTrustedDevice({
    id: 'd1',
    userId: 'u1',
    digest: digest(5),
    createdAt: T0,
    expiresAt: T0 + 86_400_000,
  });
  await store.updateUserSettings('u2', { enrollmentResetAt: T0, graceStartedAt: T0 }, { now: T0 });
  await store.bumpSessionEpoch('u1');
  await store.bumpSessionEpoch('u1');
  await store.putTenantSettings({ tenantId: 't1', smtpCiphertext: sealed, updatedAt: T0 });
  await store.putTenantSettings({ tenantId: 't2', updatedAt: T0 + 1 });
  await store.appendAudit({
    id: 'e1',
    at: T0,
    type: 'enrollment.confirmed',
    userId: 'u1',
    data: { ip: '203.0.113.1' },
  });
}

describe('MemoryStore snapshot file', () => {
  it('declares itself durable only with a snapshot file', () => {
    expect(new MemoryStore().capabilities).toEqual({ multiProcess: false, durable: false });
    expect(new MemoryStore({ snapshotFile: freshFile() }).capabilities).toEqual({
      multiProcess: false,
      durable: true,
    });
  });

  it('a missing file is an empty store; the file appears with the first change', async () => {
    const file = freshFile();
    const store = await MemoryStore.open({ snapshotFile: file });
    expect(await store.getUserSettings('u1')).toBeNull();
    expect(readdirSync(dir)).not.toContain(file.split('/').pop());
    await store.putUserSettings({ userId: 'u1', useTwoFactor: null, mayToggle: true, updatedAt: T0 });
    expect(JSON.parse(readFileSync(file, 'utf8')).settings).toHaveLength(1);
  });

  it('every record kind survives a restart, read back through the API', async () => {
    const file = freshFile();
    const first = await MemoryStore.open({ snapshotFile: file });
    await seed(first);
    await first.close();
    const second = new MemoryStore({ snapshotFile: file });
    // Loaded lazily on first use when not opened with MemoryStore.open.
    expect(await second.getUserSettings('u1')).toMatchObject({ tenantId: 't1', useTwoFactor: true });
    expect(JSON.parse(second.exportSnapshot())).toEqual(JSON.parse(first.exportSnapshot()));
    expect(await second.getCredential('u1', 'c1')).toMatchObject({ lastUsedStep: 100, driftSteps: 1 });
    expect(await second.recordOtpUse('u1', 'c1', { step: 100, now: T0 })).toBe(false);
    expect(await second.getPendingEnrollment('u1', 'p1', { now: T0 })).toMatchObject({
      address: 'a@example.org',
    });
    expect(await second.getBackupCodeSet('u1')).toEqual({ salt: 'aa', remaining: 2, createdAt: T0 });
    expect((await second.consumeBackupCode('u1', digest(2))).consumed).toBe(false);
    expect(await second.getChallenge('u1', 'ch1')).toMatchObject({ attempts: 1, data: { a: 1 } });
    expect(await second.getFailures('u1:totp', { now: T0 + 1 })).toEqual({
      count: 1,
      lockedUntil: T0 + 60_000,
    });
    expect(await second.findTrustedDevice('u1', digest(5), { now: T0 })).toMatchObject({ id: 'd1' });
    expect(await second.getUserSettings('u2')).toEqual({
      userId: 'u2',
      useTwoFactor: null,
      mayToggle: null,
      graceStartedAt: T0,
      enrollmentResetAt: T0,
      updatedAt: T0,
    });
    expect(await second.getSessionEpoch('u1')).toBe(2);
    expect(await second.getSessionEpoch('u2')).toBe(0);
    expect(await second.getTenantSettings('t1')).toEqual({
      tenantId: 't1',
      smtpCiphertext: sealed,
      updatedAt: T0,
    });
    expect(await second.getTenantSettings('t2')).toEqual({ tenantId: 't2', updatedAt: T0 + 1 });
    expect(await second.getTenantSettings('t3')).toBeNull();
    expect(await second.listAudit({ userId: 'u1' })).toEqual([
      { id: 'e1', at: T0, type: 'enrollment.confirmed', userId: 'u1', data: { ip: '203.0.113.1' } },
    ]);
  });

  it('D7: concurrent changes are all on disk when they resolve, and the race still has one winner', async () => {
    const file = freshFile();
    const store = await MemoryStore.open({ snapshotFile: file });
    await seed(store);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => store.recordOtpUse('u1', 'c1', { step: 200, now: T0 })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.registerFailure(`k${i}`, { now: T0, limits: { maxFailures: 5, windowMs: 1, lockoutMs: 1 } }),
      ),
    );
    const reloaded = await MemoryStore.open({ snapshotFile: file });
    expect((await reloaded.getCredential('u1', 'c1'))?.lastUsedStep).toBe(200);
    for (let i = 0; i < 20; i++) expect((await reloaded.getFailures(`k${i}`, { now: T0 })).count).toBe(1);
  });

  it('writes atomically: no temporary file is left behind and the file is readable by its owner only', async () => {
    const sub = mkdtempSync(join(dir, 'atomic-'));
    const file = join(sub, 'store.json');
    const store = await MemoryStore.open({ snapshotFile: file });
    await seed(store);
    await store.close();
    expect(readdirSync(sub)).toEqual(['store.json']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('a file that is not a snapshot fails to open with store_unavailable, and is left untouched', async () => {
    const cases = [
      'not json',
      JSON.stringify({ version: 5 }),
      JSON.stringify({ version: 4 }),
      JSON.stringify({ version: 3 }),
      JSON.stringify({ version: 2 }),
      // Version 3 holds the session epochs: a file without them, or with a broken one, is no snapshot.
      JSON.stringify({ version: 3, ...EMPTY, settings: [] }),
      JSON.stringify({ version: 3, ...EMPTY, settings: [], epochs: [{ userId: 'u', epoch: -1 }] }),
      JSON.stringify({ version: 3, ...EMPTY, settings: [], epochs: [{ userId: '', epoch: 1 }] }),
      // Version 4 holds the tenant settings: a file without them, or with a broken one, is no snapshot.
      JSON.stringify({ version: 4, ...EMPTY, settings: [], epochs: [] }),
      JSON.stringify({
        version: 4,
        ...EMPTY,
        settings: [],
        epochs: [],
        tenants: [{ tenantId: 't', smtpCiphertext: 'smtp-password-in-clear', updatedAt: T0 }],
      }),
      JSON.stringify({
        version: 4,
        ...EMPTY,
        settings: [],
        epochs: [],
        tenants: [{ tenantId: '', updatedAt: T0 }],
      }),
      JSON.stringify({
        version: 4,
        ...EMPTY,
        settings: [],
        epochs: [],
        tenants: [{ tenantId: 't', updatedAt: -1 }],
      }),
      JSON.stringify({ version: 1, settings: [] }),
      JSON.stringify({
        version: 1,
        settings: [],
        credentials: [
          {
            id: 'c',
            userId: 'u',
            kind: 'totp',
            label: 'x',
            otp: { secretCiphertext: 'JBSWY3DPEHPK3PXP', algorithm: 'SHA1', digits: 6, period: 30 },
            createdAt: 0,
          },
        ],
        pending: [],
        backupCodes: [],
        challenges: [],
        failures: [],
        devices: [],
        audit: [],
      }),
      JSON.stringify({
        version: 1,
        settings: [],
        credentials: [],
        pending: [],
        backupCodes: [{ userId: 'u', createdAt: 0, digests: ['NOT-HEX'] }],
        challenges: [],
        failures: [],
        devices: [],
        audit: [],
      }),
    ];
    for (const text of cases) {
      const file = freshFile();
      writeFileSync(file, text);
      const error = await MemoryStore.open({ snapshotFile: file }).catch((caught: unknown) => caught);
      expect(isSecondFactorError(error) && error.code, text).toBe('store_unavailable');
      expect(readFileSync(file, 'utf8')).toBe(text);
    }
  });

  it('a version 1 file (settings field requiredByAdmin) opens with the field read as useTwoFactor', async () => {
    const empty = EMPTY;
    const file = freshFile();
    const settings = [
      { userId: 'u1', requiredByAdmin: true, mayToggle: false, updatedAt: T0 },
      { userId: 'u2', requiredByAdmin: null, mayToggle: true, updatedAt: T0 },
    ];
    writeFileSync(file, JSON.stringify({ version: 1, settings, ...empty }));
    const store = await MemoryStore.open({ snapshotFile: file });
    expect(await store.getUserSettings('u1')).toEqual({
      userId: 'u1',
      useTwoFactor: true,
      mayToggle: false,
      updatedAt: T0,
    });
    expect((await store.getUserSettings('u2'))?.useTwoFactor).toBeNull();
    expect(await store.getTenantSettings('u1')).toBeNull();
    await store.putUserSettings({ userId: 'u3', useTwoFactor: false, mayToggle: true, updatedAt: T0 });
    await store.close();
    const written = JSON.parse(readFileSync(file, 'utf8')) as { version: number; settings: object[] };
    expect(written.version).toBe(4);
    expect(written.settings.every((item) => !('requiredByAdmin' in item))).toBe(true);
  });

  it('a version 2 file (no session epochs) opens with every epoch at 0, and is written back as the current version with them', async () => {
    const file = freshFile();
    const settings = [{ userId: 'u1', useTwoFactor: true, mayToggle: false, updatedAt: T0 }];
    writeFileSync(file, JSON.stringify({ version: 2, settings, ...EMPTY }));
    const store = await MemoryStore.open({ snapshotFile: file });
    expect(await store.getUserSettings('u1')).toEqual(settings[0]);
    expect(await store.getSessionEpoch('u1')).toBe(0);
    expect(await store.getTenantSettings('u1')).toBeNull();
    expect(await store.bumpSessionEpoch('u1')).toBe(1);
    await store.updateUserSettings('u1', { mayToggle: null }, { now: T0 + 1 });
    await store.close();
    const written = JSON.parse(readFileSync(file, 'utf8')) as { version: number; epochs: unknown };
    expect(written.version).toBe(4);
    expect(written.epochs).toEqual([{ userId: 'u1', epoch: 1 }]);
    const reopened = await MemoryStore.open({ snapshotFile: file });
    expect(await reopened.getSessionEpoch('u1')).toBe(1);
    expect((await reopened.getUserSettings('u1'))?.mayToggle).toBeNull();
  });

  it('a version 3 file (no tenant settings) opens with none, and is written back as version 4 with them', async () => {
    const file = freshFile();
    const settings = [{ userId: 'u1', tenantId: 't1', useTwoFactor: true, mayToggle: null, updatedAt: T0 }];
    const epochs = [{ userId: 'u1', epoch: 2 }];
    writeFileSync(file, JSON.stringify({ version: 3, settings, ...EMPTY, epochs }));
    const store = await MemoryStore.open({ snapshotFile: file });
    expect(await store.getUserSettings('u1')).toEqual(settings[0]);
    expect(await store.getSessionEpoch('u1')).toBe(2);
    expect(await store.getTenantSettings('t1')).toBeNull();
    await store.putTenantSettings({ tenantId: 't1', smtpCiphertext: sealed, updatedAt: T0 + 1 });
    await store.close();
    const written = JSON.parse(readFileSync(file, 'utf8')) as { version: number; tenants: unknown };
    expect(written.version).toBe(4);
    expect(written.tenants).toEqual([{ tenantId: 't1', smtpCiphertext: sealed, updatedAt: T0 + 1 }]);
    const reopened = await MemoryStore.open({ snapshotFile: file });
    expect(await reopened.getTenantSettings('t1')).toEqual({
      tenantId: 't1',
      smtpCiphertext: sealed,
      updatedAt: T0 + 1,
    });
    expect(await reopened.getSessionEpoch('u1')).toBe(2);
  });

  it('a change that cannot be written rejects with store_unavailable', async () => {
    const store = new MemoryStore({ snapshotFile: join(dir, 'no-such-dir', 'store.json') });
    await expect(
      store.putUserSettings({ userId: 'u1', useTwoFactor: null, mayToggle: true, updatedAt: T0 }),
    ).rejects.toMatchObject({
      code: 'store_unavailable',
    });
  });

  it('rejects an empty snapshotFile path', () => {
    expect(() => new MemoryStore({ snapshotFile: '' })).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
  });
});
