/**
 * `createTwoFactor` checks every option at creation and names the bad one (a misconfiguration never
 * becomes a weaker login later).
 */
import { createPolicy, partnerPortal, selfService } from '@secondfactor/policy';
import { createTwoFactor, type TwoFactorOptions } from '@secondfactor/service';
import { MemoryStore, SecretBox } from '@secondfactor/store';
import { describe, expect, it } from 'vitest';
import { backupCodeKey } from './fixtures';

const valid = (): TwoFactorOptions => ({
  store: new MemoryStore(),
  secretBox: new SecretBox({ keys: { k1: new Uint8Array(32).fill(7) }, currentKeyId: 'k1' }),
  backupCodeKey,
  policy: createPolicy(selfService),
  issuer: 'Example',
});

function refusal(options: unknown): { code: string; message: string } {
  try {
    createTwoFactor(options as TwoFactorOptions);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected createTwoFactor to throw');
}

describe('createTwoFactor options', () => {
  it('accepts the documented minimum', () => {
    expect(typeof createTwoFactor(valid()).startLogin).toBe('function');
  });

  it.each<[string, Partial<Record<keyof TwoFactorOptions, unknown>>, string]>([
    ['no store', { store: undefined }, 'options.store'],
    ['a store without the contract', { store: { getUserSettings() {} } }, 'options.store'],
    ['no secret box', { secretBox: undefined }, 'options.secretBox'],
    ['a short backup-code key', { backupCodeKey: new Uint8Array(8) }, 'options.backupCodeKey'],
    ['no backup-code key or hasher', { backupCodeKey: undefined }, 'options.backupCodeKey'],
    ['a policy not from createPolicy', { policy: selfService }, 'options.policy'],
    ['an issuer with a colon (L3)', { issuer: 'Ex:ample' }, 'options.issuer'],
    ['an empty issuer', { issuer: '' }, 'options.issuer'],
    ['a clock that is not a function', { clock: 5 }, 'options.clock'],
    ['a random source that fills nothing (B3)', { random: () => undefined }, 'options.random'],
    ['a listener that is not a function', { onEvent: 'log' }, 'options.onEvent'],
    ['a pending login over 10 minutes (I3)', { loginTtlSeconds: 601 }, 'options.loginTtlSeconds'],
    ['a fractional enrollment lifetime', { enrollmentTtlSeconds: 90.5 }, 'options.enrollmentTtlSeconds'],
  ])('refuses %s with invalid_argument naming it', (_label, change, name) => {
    const error = refusal({ ...valid(), ...change });
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toContain(name);
  });

  it('requires tenantFeatures when the policy names features, never reading them as none', () => {
    const error = refusal({ ...valid(), policy: createPolicy(partnerPortal) });
    expect([error.code, error.message.startsWith('options.tenantFeatures')]).toEqual([
      'invalid_argument',
      true,
    ]);
    expect(() =>
      createTwoFactor({ ...valid(), policy: createPolicy(partnerPortal), tenantFeatures: () => [] }),
    ).not.toThrow();
  });

  it('C10: a clock that returns no valid time fails the call that reads it, before any write', async () => {
    const store = new MemoryStore();
    const twoFactor = createTwoFactor({ ...valid(), store, clock: () => Number.NaN });
    await expect(twoFactor.startLogin({ id: 'u1', roles: [] })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    expect(await store.listAudit({ limit: 10 })).toEqual([]);
  });
});
