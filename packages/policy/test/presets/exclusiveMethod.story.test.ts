/**
 * Story of the `exclusiveMethod` preset, row by row along the product it reproduces (`PRODUCTS.exclusiveMethod` in
 * ./products.ts: the documentation section, the product's labels and the rules walked).
 */
import { createPolicy, exclusiveMethod } from '@secondfactor/policy';
import { describe } from 'vitest';
import { as, ctx, devices, user, walkStory } from '../helpers';
import { PRODUCTS } from './products';

const policy = createPolicy(exclusiveMethod);
const now = ctx();

const newcomer = user('e-1');
const smsUser = user('e-2', { settings: { devices: devices('sms') } });
const appUser = user('e-3', { settings: { devices: devices('totp') } });
const afterDisable = user('e-2', { settings: { enrollment: 'none', devices: [] } });

describe(`exclusiveMethod story: ${PRODUCTS.exclusiveMethod.section}`, () => {
  walkStory([
    {
      behaviour: '[intro] the extra method is SMS or a one-time password from a phone app',
      actual: () => policy.canEnable(as(newcomer), newcomer, now).allowed,
      expected: true,
    },
    {
      behaviour: '[intro] Edit profile > Security: the user picks one of the two',
      actual: () => [
        policy.canEnroll(as(newcomer), newcomer, 'sms', now).allowed,
        policy.canEnroll(as(newcomer), newcomer, 'totp', now).allowed,
        policy.canEnroll(as(newcomer), newcomer, 'email', now).reason,
      ],
      expected: [true, true, 'method_not_allowed'],
    },
    {
      behaviour: '[intro] changing the method needs the current one deactivated first',
      actual: () => policy.canAddMethod(as(smsUser), smsUser, 'totp', now),
      expected: { allowed: false, reason: 'exclusive_method_active', detail: { activeMethods: ['sms'] } },
    },
    {
      behaviour: '[intro] …the same the other way round',
      actual: () => policy.canAddMethod(as(appUser), appUser, 'sms', now).reason,
      expected: 'exclusive_method_active',
    },
    {
      behaviour:
        '[intro] deactivating the only method is switching 2FA off; after it the other method can be set up',
      actual: () => [
        policy.canRemoveMethod(as(smsUser), smsUser, 'sms', now).allowed,
        policy.canEnroll(as(afterDisable), afterDisable, 'totp', now).allowed,
      ],
      expected: [true, true],
    },
    {
      behaviour: '[SMS] with a verified number, every login sends a verification SMS',
      actual: () => policy.loginRequirement(smsUser, now),
      expected: { kind: 'challenge', methods: ['sms'] },
    },
    {
      behaviour: '[SMS 1–3] a new number is verified with a code before it counts',
      actual: () => policy.canSkipPhoneVerification(as(newcomer), newcomer, {}),
      expected: { allowed: false, reason: 'phone_verification_required' },
    },
    {
      behaviour: '[SMS] the code expires within minutes',
      actual: () => policy.codeTtlSeconds('sms'),
      expected: 300,
    },
    {
      behaviour: '[SMS] changing or deleting the number needs the current factor (checklist G9)',
      actual: () => policy.freshAuthRequired('change_phone').proof,
      expected: 'second_factor',
    },
    {
      behaviour: '[SMS note] a number another person of the same account verified needs no second check',
      actual: () => policy.canSkipPhoneVerification(as(newcomer), newcomer, { verifiedInTenantId: 'acme' }),
      expected: { allowed: true, reason: 'phone_verified_in_tenant' },
    },
    {
      behaviour: '[SMS note] …a number verified in some other account does',
      actual: () =>
        policy.canSkipPhoneVerification(as(newcomer), newcomer, { verifiedInTenantId: 'globex' }).allowed,
      expected: false,
    },
    {
      behaviour: '[SMS] SMS is restricted, so the app is always on offer beside it (K4)',
      actual: () => [policy.methodInfo('sms').restricted, policy.methodInfo('totp').restricted],
      expected: [true, false],
    },
    {
      behaviour: '[OTP 1–5] "Connect device": scan the QR code and confirm with a code from the app',
      actual: () => policy.canEnroll(as(newcomer), newcomer, 'totp', now),
      expected: { allowed: true, reason: 'owner' },
    },
    {
      behaviour: '[OTP] every later login asks for the code from the app',
      actual: () => policy.loginRequirement(appUser, now),
      expected: { kind: 'challenge', methods: ['totp'] },
    },
  ]);
});
