/**
 * @module
 * The shape half of policy validation: every field of a configuration has the type its documentation
 * states, and no field is unknown. A `"false"` where a boolean belongs, a typo in a proof name or an empty
 * feature name is a problem, never a value read loosely (checklist K5: unsafe values are refused).
 */

import { METHODS } from '@secondfactor/core';
import { DEFAULT_FRESH_PROOF, type FreshProof } from './actions';
import type { PolicyProblem } from './validate-types';

/**
 * What one field must be. `numeric` fields must be numbers here and are checked for range by
 * `numberProblems`. A `null` is never read as "use the default": only an absent field is.
 */
type Spec =
  | 'boolean'
  | 'name'
  | 'numeric'
  | 'checked_elsewhere'
  | { readonly oneOf: readonly string[] }
  | { readonly list: Spec }
  | { readonly fields: Readonly<Record<string, Spec>>; readonly required?: readonly string[] }
  | { readonly keys: readonly string[]; readonly values: Spec };

const ACTIONS = Object.keys(DEFAULT_FRESH_PROOF);
const PROOFS: readonly FreshProof[] = ['none', 'password', 'second_factor', 'password_and_second_factor'];
const perMethod = (values: Spec): Spec => ({ keys: METHODS, values });

const ROLE_RULE: Spec = {
  fields: {
    roles: { list: 'name' },
    require: 'boolean',
    graceSeconds: 'numeric',
    waivable: 'boolean',
    forbiddenMethods: 'checked_elsewhere',
  },
  required: ['roles', 'require'],
};

const FEATURE_RULE: Spec = {
  fields: { feature: 'name', require: 'boolean', graceSeconds: 'numeric', waivable: 'boolean' },
  required: ['feature', 'require'],
};

const CONFIG: Spec = {
  fields: {
    name: 'name',
    tenancy: { oneOf: ['single', 'multi'] },
    availableWithFeature: 'name',
    compliance: { oneOf: ['none', 'l2', 'l3'] },
    methods: {
      fields: {
        allowed: 'checked_elsewhere',
        mode: { oneOf: ['exclusive', 'multi'] },
        fallbackOnly: 'checked_elsewhere',
        restricted: 'checked_elsewhere',
        withoutEnrollment: 'checked_elsewhere',
        requiresFeatures: perMethod({ list: 'name' }),
        maxDevices: perMethod('numeric'),
        enableOnLink: 'checked_elsewhere',
        pushToAllDevices: 'boolean',
        voiceFallbackToSmsAfter: 'numeric',
      },
    },
    requirement: {
      fields: {
        default: 'boolean',
        defaultGraceSeconds: 'numeric',
        defaultWaivable: 'boolean',
        userGraceSeconds: 'numeric',
        roles: { list: ROLE_RULE },
        features: { list: FEATURE_RULE },
      },
    },
    admin: {
      fields: {
        roles: { list: 'name' },
        supportRoles: { list: 'name' },
        require: 'boolean',
        setMayToggle: 'boolean',
        disableFor: 'boolean',
        reset: 'boolean',
        configureTenant: 'boolean',
        viewStatus: 'boolean',
        alwaysMayToggle: 'boolean',
      },
    },
    self: {
      fields: {
        toggle: 'boolean',
        defaultMayToggle: 'boolean',
        skipSetup: 'boolean',
        resetOwn: 'boolean',
        trustPhoneVerifiedInTenant: 'boolean',
      },
    },
    attempts: {
      fields: {
        maxFailures: 'numeric',
        windowSeconds: 'numeric',
        lockoutSeconds: 'numeric',
        backoffFactor: 'numeric',
        maxLockoutSeconds: 'numeric',
      },
    },
    otp: {
      fields: {
        digits: 'numeric',
        periodSeconds: 'numeric',
        window: { fields: { past: 'numeric', future: 'numeric' }, required: ['past', 'future'] },
        hotpLookAhead: 'numeric',
        secretBytes: 'numeric',
      },
    },
    deliveredCodes: {
      fields: {
        digits: 'numeric',
        digitsByMethod: perMethod('numeric'),
        maxAttempts: perMethod('numeric'),
        ttlSeconds: perMethod('numeric'),
      },
    },
    backupCodes: { fields: { issue: 'boolean', acknowledgementRequired: 'boolean', count: 'numeric' } },
    sessions: {
      fields: {
        revokeOthersOnEnable: 'boolean',
        revokeOthersOnDisable: 'boolean',
        rememberDeviceDays: 'numeric',
      },
    },
    freshAuth: {
      fields: {
        maxAgeSeconds: 'numeric',
        proof: { keys: ACTIONS, values: { oneOf: PROOFS } },
        primaryFactorFor: { list: { oneOf: ACTIONS } },
      },
    },
    maxGuessProbability: 'numeric',
  },
  required: ['methods'],
};

const isPlain = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function walk(spec: Spec, value: unknown, path: string, out: PolicyProblem[]): void {
  const problem = (code: PolicyProblem['code'], message: string): void => {
    out.push({ path, code, message });
  };
  if (spec === 'checked_elsewhere') return;
  if (spec === 'numeric') {
    // The range is checked by numberProblems; here only that a number stands where one belongs.
    if (typeof value !== 'number') problem('invalid_shape', 'must be a number');
    return;
  }
  if (spec === 'boolean') {
    if (typeof value !== 'boolean') problem('invalid_shape', 'must be true or false');
    return;
  }
  if (spec === 'name') {
    if (typeof value !== 'string' || value.length === 0)
      problem('invalid_shape', 'must be a non-empty string');
    return;
  }
  if ('oneOf' in spec) {
    if (!spec.oneOf.includes(value as string)) {
      problem('invalid_value', `must be one of ${spec.oneOf.map((v) => `'${v}'`).join(', ')}`);
    }
    return;
  }
  if ('list' in spec) {
    if (!Array.isArray(value)) {
      problem('invalid_shape', 'must be a list');
      return;
    }
    value.forEach((item, i) => {
      walk(spec.list, item, `${path}.${i}`, out);
    });
    return;
  }
  if (!isPlain(value)) {
    problem('invalid_shape', 'must be an object');
    return;
  }
  if ('keys' in spec) {
    for (const [key, inner] of Object.entries(value)) {
      if (!spec.keys.includes(key))
        out.push({ path: `${path}.${key}`, code: 'unknown_field', message: 'is not a known key' });
      else if (inner !== undefined) walk(spec.values, inner, `${path}.${key}`, out);
    }
    return;
  }
  for (const key of spec.required ?? []) {
    if (value[key] === undefined)
      out.push({ path: join(path, key), code: 'invalid_shape', message: 'is required' });
  }
  for (const [key, inner] of Object.entries(value)) {
    const field = spec.fields[key];
    if (field === undefined)
      out.push({ path: join(path, key), code: 'unknown_field', message: 'is not a field of the policy' });
    else if (inner !== undefined) walk(field, inner, join(path, key), out);
  }
}

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

/** @internal Fields of a configuration whose type or name is wrong. */
export function shapeProblems(config: unknown): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  walk(CONFIG, config, '', out);
  return out;
}
