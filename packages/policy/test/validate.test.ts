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
      'SMS codes below 6 digits',
      { methods: { allowed: ['totp', 'sms'] }, deliveredCodes: { digitsByMethod: { sms: 5 } } },
      'deliveredCodes.digitsByMethod.sms:digits_out_of_range',
    ],
    [
      'a call code below 4 digits',
      { methods: { allowed: ['totp', 'voice'] }, deliveredCodes: { digitsByMethod: { voice: 3 } } },
      'deliveredCodes.digitsByMethod.voice:digits_out_of_range',
    ],
    [
      'no attempt at all on a delivered code',
      { methods: { allowed: ['totp', 'sms'] }, deliveredCodes: { maxAttempts: { sms: 0 } } },
      'deliveredCodes.maxAttempts.sms:failure_limit_out_of_range',
    ],
    [
      'a lockout longer than ten years (the store refuses it)',
      { attempts: { maxLockoutSeconds: Number.MAX_SAFE_INTEGER } },
      'attempts.maxLockoutSeconds:invalid_value',
    ],
    [
      'a failure window longer than ten years',
      { attempts: { windowSeconds: 1e13 } },
      'attempts.windowSeconds:invalid_value',
    ],
    [
      'a first lockout longer than ten years',
      { attempts: { lockoutSeconds: 315_360_001, maxLockoutSeconds: 315_360_001 } },
      'attempts.lockoutSeconds:invalid_value',
    ],
    [
      'a grace period longer than ten years',
      { requirement: { defaultGraceSeconds: 315_360_001 } },
      'requirement.defaultGraceSeconds:invalid_value',
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
    [
      'a browser remembered for more than 400 days',
      { sessions: { rememberDeviceDays: 401 } },
      'sessions.rememberDeviceDays:invalid_value',
    ],
    [
      'a browser remembered for part of a day',
      { sessions: { rememberDeviceDays: 1.5 } },
      'sessions.rememberDeviceDays:invalid_value',
    ],
  ] as Array<[string, Partial<PolicyConfig>, string]>)('%s', (_name, change, expected) => {
    expect(codes({ ...ok, ...change })).toContain(expected);
  });

  it('delivered-code digits below 6 are refused for e-mail and SMS, each where it was written', () => {
    const short: PolicyConfig = {
      methods: { allowed: ['totp', 'email', 'sms'] },
      deliveredCodes: { digits: 4 },
    };
    expect(validatePolicy(short).map((p) => [p.path, p.code])).toEqual([
      ['deliveredCodes.digits', 'digits_out_of_range'],
    ]);
    const perMethod: PolicyConfig = {
      methods: { allowed: ['totp', 'email', 'sms'] },
      deliveredCodes: { digitsByMethod: { email: 4, sms: 5 } },
    };
    expect(validatePolicy(perMethod).map((p) => [p.path, p.code])).toEqual([
      ['deliveredCodes.digitsByMethod.email', 'digits_out_of_range'],
      ['deliveredCodes.digitsByMethod.sms', 'digits_out_of_range'],
    ]);
  });

  it('the limits are the engine limits: window 10, digits 6–8 (a call code 4), 16-byte secrets, 10 minutes, 100 failures, 10 years', () => {
    expect(POLICY_LIMITS).toEqual({
      maxWindow: 10,
      maxLookAhead: 10,
      minDigits: 6,
      maxDigits: 8,
      minFlashCallDigits: 4,
      maxDurationSeconds: 315_360_000,
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
      attempts: {
        maxFailures: 100,
        windowSeconds: 315_360_000,
        lockoutSeconds: 315_360_000,
        maxLockoutSeconds: 315_360_000,
        backoffFactor: 10,
      },
      requirement: { defaultGraceSeconds: 315_360_000 },
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

describe('shape: every field has its documented type, and no field is unknown', () => {
  const forged = (config: unknown): string[] => codes(config as PolicyConfig);

  it.each([
    [
      'a proof name with a typo',
      { freshAuth: { proof: { disable: 'password+second_factor' } } },
      'freshAuth.proof.disable:invalid_value',
    ],
    [
      'a proof name that means nothing',
      { freshAuth: { proof: { disable: 'nonsense' } } },
      'freshAuth.proof.disable:invalid_value',
    ],
    [
      'a fresh-proof rule for an unknown action',
      { freshAuth: { proof: { change_phone: 'none' } } },
      'freshAuth.proof.change_phone:unknown_field',
    ],
    [
      'an unknown action asking for a primary factor',
      { freshAuth: { primaryFactorFor: ['regenerate'] } },
      'freshAuth.primaryFactorFor.0:invalid_value',
    ],
    ['a boolean written as a string', { admin: { reset: 'false' } }, 'admin.reset:invalid_shape'],
    ['a boolean written as a number', { self: { toggle: 1 } }, 'self.toggle:invalid_shape'],
    ['an empty feature name', { availableWithFeature: '' }, 'availableWithFeature:invalid_shape'],
    ['a null feature name', { availableWithFeature: null }, 'availableWithFeature:invalid_shape'],
    [
      'an empty feature in a rule',
      { requirement: { features: [{ feature: '', require: true }] } },
      'requirement.features.0.feature:invalid_shape',
    ],
    [
      'a role rule without require',
      { requirement: { roles: [{ roles: ['x'] }] } },
      'requirement.roles.0.require:invalid_shape',
    ],
    ['an unknown tenancy', { tenancy: 'shared' }, 'tenancy:invalid_value'],
    ['an unknown top-level field', { requireAdmins2fa: true }, 'requireAdmins2fa:unknown_field'],
    ['an unknown nested field', { attempts: { maxFailure: 3 } }, 'attempts.maxFailure:unknown_field'],
    [
      'a per-method setting for an unknown method',
      { deliveredCodes: { ttlSeconds: { fax: 60 } } },
      'deliveredCodes.ttlSeconds.fax:unknown_field',
    ],
    ['a section that is not an object', { self: true }, 'self:invalid_shape'],
  ])('refuses %s', (_name, change, expected) => {
    expect(forged({ ...ok, ...change })).toContain(expected);
  });

  it('createPolicy refuses a policy whose "false" is a string instead of reading it as true', () => {
    expect(() => createPolicy({ ...ok, admin: { reset: 'false' } } as unknown as PolicyConfig)).toThrowError(
      /admin\.reset/,
    );
  });
});

describe('G1: a call code of 4 digits (the calling number carries it)', () => {
  const flash = (over: Partial<PolicyConfig>, attempts?: number): PolicyConfig => ({
    methods: { allowed: ['totp', 'voice'] },
    deliveredCodes: {
      digitsByMethod: { voice: 4 },
      ...(attempts === undefined ? {} : { maxAttempts: { voice: attempts } }),
    },
    ...over,
  });

  it('is accepted at compliance none with 3 attempts (bound 0.0003), and codes of calls then have 4 digits', () => {
    expect(validatePolicy(flash({}, 3))).toEqual([]);
    expect(validatePolicy(flash({ compliance: 'none' }, 3))).toEqual([]);
    expect(createPolicy(flash({}, 3)).codeFormat('voice')).toEqual({
      digits: 4,
      ttlSeconds: 300,
      maxAttempts: 3,
    });
  });

  it('is refused under l2 and l3', () => {
    expect(codes(flash({ compliance: 'l2' }, 3))).toContain(
      'deliveredCodes.digitsByMethod.voice:digits_out_of_range',
    );
    expect(codes(flash({ compliance: 'l3' }, 3))).toContain('methods.allowed:method_forbidden_by_compliance');
  });

  it("is refused with 20 attempts: the bound uses voice's own attempt limit, 1·20/10^4 = 0.002 > 0.001", () => {
    expect(codes(flash({}, 20))).toEqual(['maxGuessProbability:brute_force_bound_exceeded']);
  });

  it('holds only for calls: e-mail and SMS codes keep at least 6 digits', () => {
    expect(
      codes({ methods: { allowed: ['totp', 'sms'] }, deliveredCodes: { digitsByMethod: { sms: 4 } } }),
    ).toEqual(['deliveredCodes.digitsByMethod.sms:digits_out_of_range']);
  });

  it('the multiMethod preset has one: 4 digits, 3 attempts, and does not validate under l2', () => {
    expect(multiMethod.deliveredCodes).toMatchObject({
      digitsByMethod: { voice: 4 },
      maxAttempts: { voice: 3 },
    });
    expect(codes({ ...multiMethod, compliance: 'l2' })).toContain(
      'deliveredCodes.digitsByMethod.voice:digits_out_of_range',
    );
  });
});

describe('assertValidPolicy and createPolicy', () => {
  it('throws one SecondFactorError invalid_policy naming every problem path', () => {
    const bad: PolicyConfig = { methods: { allowed: ['sms'] }, otp: { secretBytes: 8 } };
    let thrown: unknown;
    try {
      assertValidPolicy(bad);
    } catch (error) {
      thrown = error;
    }
    expect(isSecondFactorError(thrown)).toBe(true);
    const error = thrown as { code: string; message: string; detail: { problems: unknown[] } };
    expect(error.code).toBe('invalid_policy');
    expect(error.message).toContain('otp.secretBytes');
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

  it('multiMethod and selfService are single-tenant, the other presets multi-tenant', () => {
    const tenancy = (config: PolicyConfig): string => createPolicy(config).settings.tenancy;
    expect([multiMethod, selfService].map(tenancy)).toEqual(['single', 'single']);
    expect([accountAdmin, exclusiveMethod, partnerPortal].map(tenancy)).toEqual(['multi', 'multi', 'multi']);
  });

  it('presets are frozen all the way down', () => {
    expect(Object.isFrozen(selfService)).toBe(true);
    expect(Object.isFrozen(selfService.methods.allowed)).toBe(true);
    expect(() => {
      (selfService.methods.allowed as string[]).push('sms');
    }).toThrow();
  });
});
