import { createPolicy, DEFAULT_FRESH_PROOF, type PolicyConfig } from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';

const config: PolicyConfig = {
  methods: { allowed: ['totp', 'hotp', 'email', 'voice', 'push', 'backup_code'], voiceFallbackToSmsAfter: 2 },
  attempts: {
    maxFailures: 4,
    windowSeconds: 600,
    lockoutSeconds: 60,
    backoffFactor: 2,
    maxLockoutSeconds: 3600,
  },
  deliveredCodes: { ttlSeconds: { email: 600, push: 120 } },
  otp: { periodSeconds: 60 },
  freshAuth: { maxAgeSeconds: 120, proof: { enable: 'second_factor' } },
};
const policy = createPolicy(config);

describe('derived settings', () => {
  it("E1: attempt limits come out in the store's milliseconds", () => {
    expect(policy.failureLimits()).toEqual({
      maxFailures: 4,
      windowMs: 600_000,
      lockoutMs: 60_000,
      backoffFactor: 2,
      maxLockoutMs: 3_600_000,
    });
  });

  it('defaults: 5 failures, a fixed 15-minute lockout', () => {
    expect(createPolicy({ methods: { allowed: ['totp'] } }).failureLimits()).toEqual({
      maxFailures: 5,
      windowMs: 900_000,
      lockoutMs: 900_000,
      backoffFactor: 1,
      maxLockoutMs: 86_400_000,
    });
  });

  it('G2: code lifetimes per method; TOTP lives one step; HOTP and backup codes do not expire', () => {
    expect(policy.codeTtlSeconds('email')).toBe(600);
    expect(policy.codeTtlSeconds('push')).toBe(120);
    expect(policy.codeTtlSeconds('voice')).toBe(300);
    expect(policy.codeTtlSeconds('totp')).toBe(60);
    expect(policy.codeTtlSeconds('hotp')).toBeUndefined();
    expect(policy.codeTtlSeconds('backup_code')).toBeUndefined();
  });

  it('a voice code goes by SMS once the configured number of calls was placed', () => {
    expect([0, 1, 2, 3].map((calls) => policy.voiceDeliveryChannel(calls))).toEqual([
      'voice',
      'voice',
      'sms',
      'sms',
    ]);
    expect(createPolicy({ methods: { allowed: ['totp', 'voice'] } }).voiceDeliveryChannel(50)).toBe('voice');
  });

  it('I5: by default disabling revokes other sessions and enabling does not', () => {
    expect(policy.lifecycle()).toEqual({
      issueBackupCodes: false,
      backupCodesAcknowledgementRequired: false,
      backupCodeCount: 10,
      revokeOtherSessionsOnEnable: false,
      revokeOtherSessionsOnDisable: true,
      enableOnLink: [],
      pushToAllDevices: false,
    });
  });

  it('fresh-auth rules: overrides apply, the rest keep the defaults', () => {
    expect(policy.freshAuthRequired('enable')).toEqual({
      action: 'enable',
      proof: 'second_factor',
      maxAgeSeconds: 120,
    });
    expect(policy.freshAuthRequired('disable').proof).toBe('password_and_second_factor');
    expect(DEFAULT_FRESH_PROOF.regenerate_backup_codes).toBe('second_factor');
    expect(DEFAULT_FRESH_PROOF.change_phone).toBe('second_factor');
  });

  it('methodInfo: backup codes are always fallback-only; SMS and voice restricted by default', () => {
    expect(policy.methodInfo('backup_code')).toMatchObject({ allowed: true, fallbackOnly: true });
    expect(policy.methodInfo('voice')).toMatchObject({ restricted: true, fallbackOnly: false });
    expect(policy.methodInfo('sms')).toMatchObject({ allowed: false, restricted: true });
  });
});
