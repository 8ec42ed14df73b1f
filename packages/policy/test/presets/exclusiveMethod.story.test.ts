/**
 * Story of the `exclusiveMethod` preset, row by row along the product it reproduces (`PRODUCTS.exclusiveMethod`
 * in ./products.ts: the documentation section, the product's labels, the rules walked and every control of
 * its screens with the question that answers it).
 */
import { createPolicy, exclusiveMethod } from '@secondfactor/policy';
import { describe } from 'vitest';
import { as, ctx, devices, NOW, passed, tracked, user, walkStory } from '../helpers';
import { PRODUCTS } from './products';

const engine = tracked(createPolicy(exclusiveMethod));
const { policy } = engine;
const now = ctx();

const newcomer = user('e-1');
const smsUser = user('e-2', { settings: { devices: [{ method: 'sms', id: 'phone-1' }] } });
const appUser = user('e-3', { settings: { devices: devices('totp') } });
const afterDisable = user('e-2', { settings: { enrollment: 'none', devices: [] } });
const colleague = { userId: 'e-9', tenantId: 'acme' };

describe(`exclusiveMethod story: ${PRODUCTS.exclusiveMethod.section}`, () => {
  walkStory(
    [
      {
        behaviour: '[intro] the extra method is SMS or a one-time password from a phone app',
        actual: () => policy.canSetUseTwoFactor(as(newcomer), newcomer, true, now).allowed,
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
          policy.canRemoveDevice(as(smsUser), smsUser, { method: 'sms', id: 'phone-1' }, now).allowed,
          policy.canEnroll(as(afterDisable), afterDisable, 'totp', now).allowed,
        ],
        expected: [true, true],
      },
      {
        behaviour: '[SMS 1] "Add Number" starts the SMS method',
        control: 'Add Number',
        actual: () => policy.canEnroll(as(newcomer), newcomer, 'sms', now),
        expected: { allowed: true, reason: 'owner', detail: { method: 'sms' } },
      },
      {
        behaviour: '[SMS 2] "Verify Number": a new number is verified with a code before it counts',
        control: 'Verify Number',
        actual: () => policy.canSkipPhoneVerification(as(newcomer), newcomer, { verifiedBy: null }, now),
        expected: { allowed: false, reason: 'phone_verification_required' },
      },
      {
        behaviour: '[SMS 2–3] "Send Code": a six-digit code that expires within minutes',
        control: 'Send Code',
        actual: () => policy.codeFormat('sms'),
        expected: { digits: 6, ttlSeconds: 300, maxAttempts: 5 },
      },
      {
        behaviour: '[SMS] with a verified number, every login sends a verification SMS',
        control: 'code at every later login',
        actual: () => policy.loginRequirement(smsUser, now),
        expected: { kind: 'challenge', methods: ['sms'] },
      },
      {
        behaviour: '[SMS] "Change number" swaps the number without switching 2FA off, with the current code',
        control: 'Change number',
        actual: () => [
          policy.canReplaceDevice(as(smsUser), smsUser, { method: 'sms', id: 'phone-1' }, now),
          policy.canReplaceDevice(
            as(smsUser, { secondFactor: passed(NOW - 3_600_000, 'sms') }),
            smsUser,
            {
              method: 'sms',
              id: 'phone-1',
            },
            now,
          ).reason,
        ],
        expected: [{ allowed: true, reason: 'owner' }, 'fresh_auth_required'],
      },
      {
        behaviour: '[SMS] …only his own number',
        actual: () =>
          policy.canReplaceDevice(as(smsUser), smsUser, { method: 'sms', id: 'phone-9' }, now).reason,
        expected: 'device_not_found',
      },
      {
        behaviour:
          '[SMS] "Delete number" removes the only factor, which is switching 2FA off: password and a current code',
        control: 'Delete number',
        actual: () => [
          policy.canRemoveDevice(as(smsUser), smsUser, { method: 'sms', id: 'phone-1' }, now).allowed,
          policy.canRemoveDevice(as(smsUser, { reauthenticatedAt: null }), smsUser, { method: 'sms' }, now)
            .detail?.proof,
        ],
        expected: [true, 'password'],
      },
      {
        behaviour: '[SMS note] a number another person of the same account verified needs no second check…',
        control: 'Enable authentication',
        actual: () => policy.canSkipPhoneVerification(as(newcomer), newcomer, { verifiedBy: colleague }, now),
        expected: { allowed: true, reason: 'phone_verified_in_tenant' },
      },
      {
        behaviour: '[SMS note] …a number verified in some other account does',
        actual: () =>
          policy.canSkipPhoneVerification(
            as(newcomer),
            newcomer,
            { verifiedBy: { userId: 'x-1', tenantId: 'globex' } },
            now,
          ).allowed,
        expected: false,
      },
      {
        behaviour: '[SMS] SMS is restricted, so the app is always on offer beside it (K4)',
        actual: () => [policy.methodInfo('sms').restricted, policy.methodInfo('totp').restricted],
        expected: [true, false],
      },
      {
        behaviour: '[OTP 1] "Connect device" beside an active SMS method is refused until SMS is off',
        control: 'Connect device',
        actual: () => policy.canAddMethod(as(smsUser), smsUser, 'totp', now).reason,
        expected: 'exclusive_method_active',
      },
      {
        behaviour: '[OTP 3–4] "Display QR Code": scan it, or type the key, to link the app',
        control: 'Display QR Code',
        actual: () => policy.canEnroll(as(newcomer), newcomer, 'totp', now),
        expected: { allowed: true, reason: 'owner' },
      },
      {
        behaviour:
          '[OTP 5] "Verify" with the first code switches the app method on; another user cannot do it',
        control: 'Verify',
        actual: () => [
          policy.canEnroll(as(newcomer), newcomer, 'totp', now).allowed,
          policy.canEnroll(as(appUser), newcomer, 'totp', now).reason,
        ],
        expected: [true, 'not_owner'],
      },
      {
        behaviour: '[OTP] every later login asks for the code from the app',
        actual: () => policy.loginRequirement(appUser, now),
        expected: { kind: 'challenge', methods: ['totp'] },
      },
    ],
    { tracked: engine, controls: PRODUCTS.exclusiveMethod.controls },
  );
});
