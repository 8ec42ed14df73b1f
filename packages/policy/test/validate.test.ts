import { isSecondFactorError } from '@secondfactor/core';
import {
  accountAdmin,
  assertValidPolicy,
  createPolicy,
  exclusiveMethod,
  multiMethod,
  POLICY_LIMITS,
  type PolicyConfig,
  partnerPortal,
  selfService,
  validatePolicy,
} from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';

const ok: PolicyConfig = { methods: { allowed: ['totp'] } };
const codes = (config: PolicyConfig): string[] => validatePolicy(config).map((p) => `${p.path}:${p.code}`);

describe('K5: unsafe values are rejected', () => {
  it.each([
    [
      'C2: TOTP window above 10 steps back',
      { otp: { window: { past: 11, future: 1 } } },
      'otp.window.past:window_above_cap',
    ],
    [
      'C2: TOTP window above 10 steps ahead',
      { otp: { window: { past: 1, future: 11 } } },
      'otp.window.future:window_above_cap',
    ],
    ['C2: HOTP look-ahead above 10', { otp: { hotpLookAhead: 11 } }, 'otp.hotpLookAhead:window_above_cap'],
    ['digits below 6', { otp: { digits: 5 } }, 'otp.digits:digits_out_of_range'],
    ['digits above 10', { otp: { digits: 11 } }, 'otp.digits:digits_out_of_range'],
    [
      'delivered-code digits below 6',
      { deliveredCodes: { digits: 4 } },
      'deliveredCodes.digits:digits_out_of_range',
    ],
    ['B2: secrets below 128 bits', { otp: { secretBytes: 15 } }, 'otp.secretBytes:secret_too_short'],
    ['secrets above 128 bytes', { otp: { secretBytes: 129 } }, 'otp.secretBytes:invalid_value'],
    [
      'G2: an SMS code living over 10 minutes',
      { deliveredCodes: { ttlSeconds: { sms: 601 } } },
      'deliveredCodes.ttlSeconds.sms:code_ttl_out_of_range',
    ],
    [
      'G2: a push request living over 10 minutes',
      { deliveredCodes: { ttlSeconds: { push: 3600 } } },
      'deliveredCodes.ttlSeconds.push:code_ttl_out_of_range',
    ],
    [
      'E1: a failure limit above 100',
      { attempts: { maxFailures: 101 } },
      'attempts.maxFailures:failure_limit_out_of_range',
    ],
    [
      'a failure limit of 0',
      { attempts: { maxFailures: 0 } },
      'attempts.maxFailures:failure_limit_out_of_range',
    ],
    ['a negative window', { otp: { window: { past: -1, future: 1 } } }, 'otp.window.past:invalid_value'],
    [
      'a fractional failure limit',
      { attempts: { maxFailures: 2.5 } },
      'attempts.maxFailures:failure_limit_out_of_range',
    ],
    ['NaN lockout', { attempts: { lockoutSeconds: Number.NaN } }, 'attempts.lockoutSeconds:invalid_value'],
    [
      'a negative grace period',
      { requirement: { defaultGraceSeconds: -1 } },
      'requirement.defaultGraceSeconds:invalid_value',
    ],
    [
      'zero devices per method',
      { methods: { allowed: ['totp'], maxDevices: { totp: 0 } } },
      'methods.maxDevices.totp:invalid_value',
    ],
  ] as Array<[string, Partial<PolicyConfig>, string]>)('%s', (_name, change, expected) => {
    expect(codes({ ...ok, ...change })).toContain(expected);
  });

  it('the limits are the engine limits: window 10, digits 6–8, 16-byte secrets, 10 minutes, 100 failures', () => {
    expect(POLICY_LIMITS).toEqual({
      maxWindow: 10,
      maxLookAhead: 10,
      minDigits: 6,
      maxDigits: 8,
      minSecretBytes: 16,
      maxSecretBytes: 128,
      maxCodeTtlSeconds: 600,
      maxFailureLimit: 100,
    });
  });

  it('the limits themselves are accepted', () => {
    const edge: PolicyConfig = {
      methods: { allowed: ['totp', 'sms'] },
      otp: { window: { past: 10, future: 10 }, hotpLookAhead: 10, digits: 8, secretBytes: 16 },
      deliveredCodes: { digits: 6, ttlSeconds: { sms: 600 } },
      attempts: { maxFailures: 100 },
    };
    expect(validatePolicy(edge)).toEqual([]);
  });
});

describe('K4: a restricted or fallback-only method is never the only one', () => {
  it('SMS alone is refused', () => {
    expect(codes({ methods: { allowed: ['sms'] } })).toEqual(['methods.allowed:only_restricted_methods']);
  });

  it('SMS and voice alone are refused', () => {
    expect(codes({ methods: { allowed: ['sms', 'voice', 'backup_code'] } })).toContain(
      'methods.allowed:only_restricted_methods',
    );
  });

  it('a fallback-only method alone is refused, backup codes included', () => {
    expect(codes({ methods: { allowed: ['push'], fallbackOnly: ['push'] } })).toContain(
      'methods.allowed:only_restricted_methods',
    );
    expect(codes({ methods: { allowed: ['backup_code'] } })).toContain(
      'methods.allowed:only_restricted_methods',
    );
  });

  it('SMS beside an authenticator app is accepted', () => {
    expect(validatePolicy({ methods: { allowed: ['sms', 'totp'] } })).toEqual([]);
  });

  it('a role rule that forbids every unrestricted method leaves that role only SMS and is refused', () => {
    const config: PolicyConfig = {
      methods: { allowed: ['sms', 'totp'] },
      requirement: { roles: [{ roles: ['field'], require: true, forbiddenMethods: ['totp'] }] },
    };
    expect(codes(config)).toEqual(['requirement.roles.0.forbiddenMethods:only_restricted_methods']);
  });
});

describe('G10: compliance modes', () => {
  it('l2 marks SMS and voice restricted and e-mail not a second factor', () => {
    const policy = createPolicy({ compliance: 'l2', methods: { allowed: ['totp', 'sms'], restricted: [] } });
    expect(policy.methodInfo('sms')).toMatchObject({ allowed: true, restricted: true, mfaFactor: true });
    expect(policy.methodInfo('voice').restricted).toBe(true);
    expect(policy.methodInfo('email').mfaFactor).toBe(false);
  });

  it('l2 refuses a policy that offers e-mail as a second factor', () => {
    expect(codes({ compliance: 'l2', methods: { allowed: ['totp', 'email'] } })).toEqual([
      'methods.allowed:method_not_mfa_factor',
    ]);
  });

  it('l3 refuses SMS, voice and e-mail outright', () => {
    for (const method of ['sms', 'voice', 'email'] as const) {
      expect(codes({ compliance: 'l3', methods: { allowed: ['totp', method] } })).toContain(
        'methods.allowed:method_forbidden_by_compliance',
      );
    }
    expect(validatePolicy({ compliance: 'l3', methods: { allowed: ['totp', 'backup_code'] } })).toEqual([]);
  });

  it('without a compliance mode a host may lift the restriction on SMS', () => {
    expect(
      createPolicy({ methods: { allowed: ['totp', 'sms'], restricted: [] } }).methodInfo('sms').restricted,
    ).toBe(false);
  });
});

describe('contradictions and shape', () => {
  it('exclusive mode cannot have fallback-only methods', () => {
    const config: PolicyConfig = {
      methods: { allowed: ['totp', 'voice'], mode: 'exclusive', fallbackOnly: ['voice'] },
    };
    expect(codes(config)).toEqual(['methods.fallbackOnly:fallback_requires_multi_mode']);
  });

  it('a voice-to-SMS fallback needs voice', () => {
    expect(codes({ methods: { allowed: ['totp'], voiceFallbackToSmsAfter: 3 } })).toEqual([
      'methods.voiceFallbackToSmsAfter:voice_fallback_without_voice',
    ]);
  });

  it('an unknown method name anywhere is reported', () => {
    const forged = { methods: { allowed: ['totp', 'telepathy'] } } as unknown as PolicyConfig;
    expect(codes(forged)).toEqual(['methods.allowed:unknown_method']);
    const inRule = {
      methods: { allowed: ['totp'] },
      requirement: { roles: [{ roles: ['x'], require: true, forbiddenMethods: ['fax'] }] },
    } as unknown as PolicyConfig;
    expect(codes(inRule)).toEqual(['requirement.roles.0.forbiddenMethods:unknown_method']);
  });

  it('no methods at all is reported', () => {
    expect(codes({ methods: { allowed: [] } })).toEqual(['methods.allowed:no_methods']);
  });

  it.each([null, 42, 'totp', {}, { methods: null }, { methods: { allowed: 'totp' } }])(
    'data of the wrong shape (%j) is reported, not thrown',
    (value) => {
      expect(codes(value as unknown as PolicyConfig)).toEqual(['methods.allowed:invalid_shape']);
    },
  );
});

describe('assertValidPolicy and createPolicy', () => {
  it('throws one SecondFactorError invalid_policy naming every problem path', () => {
    const bad: PolicyConfig = { methods: { allowed: ['sms'] }, attempts: { maxFailures: 1000 } };
    let thrown: unknown;
    try {
      assertValidPolicy(bad);
    } catch (error) {
      thrown = error;
    }
    expect(isSecondFactorError(thrown)).toBe(true);
    const error = thrown as { code: string; message: string; detail: { problems: unknown[] } };
    expect(error.code).toBe('invalid_policy');
    expect(error.message).toContain('attempts.maxFailures');
    expect(error.message).toContain('methods.allowed');
    expect(error.detail.problems).toHaveLength(2);
  });

  it('createPolicy refuses an unsafe policy', () => {
    expect(() => createPolicy({ methods: { allowed: ['totp'] }, otp: { digits: 4 } })).toThrowError(
      /otp\.digits/,
    );
  });

  it.each([
    ['partnerPortal', partnerPortal],
    ['accountAdmin', accountAdmin],
    ['selfService', selfService],
    ['multiMethod', multiMethod],
    ['exclusiveMethod', exclusiveMethod],
  ])('the preset %s is valid', (_name, preset) => {
    expect(validatePolicy(preset)).toEqual([]);
  });

  it('presets are frozen all the way down', () => {
    expect(Object.isFrozen(selfService)).toBe(true);
    expect(Object.isFrozen(selfService.methods.allowed)).toBe(true);
    expect(() => {
      (selfService.methods.allowed as string[]).push('sms');
    }).toThrow();
  });
});
