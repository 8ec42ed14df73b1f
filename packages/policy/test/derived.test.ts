import { createPolicy, DEFAULT_FRESH_PROOF, multiMethod, type PolicyConfig } from '@secondfactor/policy';
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
    expect(policy.codeFormat('email').ttlSeconds).toBe(600);
    expect(policy.codeFormat('push').ttlSeconds).toBe(120);
    expect(policy.codeFormat('voice').ttlSeconds).toBe(300);
    expect(policy.codeFormat('totp').ttlSeconds).toBe(60);
    expect(policy.codeFormat('hotp').ttlSeconds).toBeUndefined();
    expect(policy.codeFormat('backup_code').ttlSeconds).toBeUndefined();
  });

  it('a code format names digits, lifetime and attempt limit; push and backup codes carry no digit count', () => {
    expect(policy.codeFormat('totp')).toEqual({ digits: 6, ttlSeconds: 60, maxAttempts: 4 });
    expect(policy.codeFormat('hotp')).toEqual({ digits: 6, ttlSeconds: undefined, maxAttempts: 4 });
    expect(policy.codeFormat('email')).toEqual({ digits: 6, ttlSeconds: 600, maxAttempts: 4 });
    expect(policy.codeFormat('push')).toEqual({ digits: undefined, ttlSeconds: 120, maxAttempts: 4 });
    expect(policy.codeFormat('backup_code')).toEqual({
      digits: undefined,
      ttlSeconds: undefined,
      maxAttempts: 4,
    });
  });

  it('delivered codes take digits and attempts per method, the rest from the shared settings', () => {
    const perMethod = createPolicy({
      methods: { allowed: ['totp', 'sms', 'email'] },
      deliveredCodes: { digits: 7, digitsByMethod: { sms: 8 }, maxAttempts: { sms: 2 } },
    });
    expect(perMethod.codeFormat('sms')).toEqual({ digits: 8, ttlSeconds: 300, maxAttempts: 2 });
    expect(perMethod.codeFormat('email')).toEqual({ digits: 7, ttlSeconds: 300, maxAttempts: 5 });
  });

  it('multiMethod: a call code has 4 digits and 3 attempts', () => {
    expect(createPolicy(multiMethod).codeFormat('voice')).toEqual({
      digits: 4,
      ttlSeconds: 300,
      maxAttempts: 3,
    });
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
    expect(DEFAULT_FRESH_PROOF.replace_device).toBe('second_factor');
  });

  it('by default switching 2FA on for oneself needs no proof beyond the session, tenant settings a password', () => {
    expect(DEFAULT_FRESH_PROOF.enable).toBe('none');
    expect(DEFAULT_FRESH_PROOF.configure_tenant).toBe('password');
    expect(createPolicy({ methods: { allowed: ['totp'] } }).freshAuthRequired('enable').proof).toBe('none');
  });

  it('regenerating backup codes asks for a primary second factor by default; a policy may list more actions', () => {
    expect(createPolicy({ methods: { allowed: ['totp'] } }).settings.freshAuth.primaryFactorFor).toEqual([
      'regenerate_backup_codes',
    ]);
    const stricter = createPolicy({
      methods: { allowed: ['totp'] },
      freshAuth: { primaryFactorFor: ['regenerate_backup_codes', 'disable'] },
    });
    expect(stricter.settings.freshAuth.primaryFactorFor).toEqual(['regenerate_backup_codes', 'disable']);
  });

  it('methodInfo: backup codes are always fallback-only; SMS and voice restricted by default', () => {
    expect(policy.methodInfo('backup_code')).toMatchObject({ allowed: true, fallbackOnly: true });
    expect(policy.methodInfo('voice')).toMatchObject({ restricted: true, fallbackOnly: false });
    expect(policy.methodInfo('sms')).toMatchObject({ allowed: false, restricted: true });
  });

  it('the derived answers refuse an unknown method, action or call count instead of answering undefined', () => {
    const refused = (call: () => unknown): unknown => {
      try {
        call();
      } catch (error) {
        return (error as { code?: unknown }).code;
      }
      return 'answered';
    };
    expect(refused(() => policy.codeFormat('fax' as 'sms'))).toBe('invalid_argument');
    expect(refused(() => policy.methodInfo('fax' as 'sms'))).toBe('invalid_argument');
    expect(refused(() => policy.freshAuthRequired('change_phone' as 'enable'))).toBe('invalid_argument');
    expect(refused(() => policy.voiceDeliveryChannel('3' as unknown as number))).toBe('invalid_argument');
    expect(refused(() => policy.voiceDeliveryChannel(-1))).toBe('invalid_argument');
  });
});
