/**
 * Story of the `multiMethod` preset, row by row along the product it reproduces (`PRODUCTS.multiMethod` in
 * ./products.ts: the documentation section, the product's labels and the rules walked).
 */
import { createPolicy, multiMethod, validatePolicy } from '@secondfactor/policy';
import { describe } from 'vitest';
import { as, ctx, devices, user, walkStory } from '../helpers';
import { PRODUCTS } from './products';

const policy = createPolicy(multiMethod);
const now = ctx();

const newcomer = user('m-1');
const messenger = user('m-2', { settings: { devices: devices('push') } });
const appAndPhone = user('m-3', { settings: { devices: devices('totp', 'voice') } });
const everything = user('m-4', { settings: { devices: devices('push', 'push', 'totp', 'voice', 'voice') } });

describe(`multiMethod story: ${PRODUCTS.multiMethod.section}`, () => {
  walkStory([
    {
      behaviour: '[intro] confirm the login in the messenger bot',
      actual: () => policy.canEnroll(as(newcomer), newcomer, 'push', now),
      expected: { allowed: true, reason: 'owner' },
    },
    {
      behaviour: '[intro] …or type a code from an authenticator app',
      actual: () => policy.canEnroll(as(newcomer), newcomer, 'totp', now).allowed,
      expected: true,
    },
    {
      behaviour: '[intro] …or, with a phone number on the account, take a call whose number ends in the code',
      actual: () => policy.loginRequirement(appAndPhone, now),
      expected: { kind: 'challenge', methods: ['totp'], fallbackMethods: ['voice'] },
    },
    {
      behaviour: '[intro] the call code has the digits every code has here (the product uses the last 4)',
      actual: () => policy.settings.deliveredCodes.digits,
      expected: 6,
    },
    {
      behaviour: '[intro] when calls do not arrive, after several of them the code comes by SMS',
      actual: () => [0, 1, 2, 3, 4].map((calls) => policy.voiceDeliveryChannel(calls)),
      expected: ['voice', 'voice', 'voice', 'sms', 'sms'],
    },
    {
      behaviour: '[intro] the call is a fallback to the other two and cannot be switched on alone',
      actual: () => [
        policy.canEnroll(as(newcomer), newcomer, 'voice', now).reason,
        policy.methodInfo('voice'),
        validatePolicy({ ...multiMethod, methods: { ...multiMethod.methods, allowed: ['voice'] } }).map(
          (p) => p.code,
        ),
      ],
      expected: [
        'method_fallback_only',
        { fallbackOnly: true, restricted: true },
        ['only_restricted_methods'],
      ],
    },
    {
      behaviour: '[intro] …so the last primary method cannot go while a phone number remains',
      actual: () => policy.canRemoveMethod(as(appAndPhone), appAndPhone, 'totp', now).reason,
      expected: 'fallback_would_be_alone',
    },
    {
      behaviour: '[warning] switching 2-step verification on signs out every other session',
      actual: () => policy.lifecycle().revokeOtherSessionsOnEnable,
      expected: true,
    },
    {
      behaviour: '[messenger] linking a messenger account switches its 2-step verification on',
      actual: () => policy.lifecycle().enableOnLink,
      expected: ['push'],
    },
    {
      behaviour: '[messenger] …and the user may switch it off again',
      actual: () => policy.canRemoveMethod(as(messenger), messenger, 'push', now),
      expected: { allowed: true, reason: 'owner' },
    },
    {
      behaviour: '[app] the phone clock must match the server: one step either way is accepted',
      actual: () => policy.settings.otp.window,
      expected: { past: 1, future: 1 },
    },
    {
      behaviour:
        '[app] "Launch" beside the app method: scan the QR and confirm, with the current factor at hand',
      actual: () => [
        policy.canAddMethod(as(messenger), messenger, 'totp', now).allowed,
        policy.canAddMethod(as(messenger, { secondFactorAt: undefined }), messenger, 'totp', now).reason,
      ],
      expected: [true, 'fresh_auth_required'],
    },
    {
      behaviour: '[disable] "Disable" beside any one method removes just that method',
      actual: () => policy.canRemoveMethod(as(everything), everything, 'totp', now).allowed,
      expected: true,
    },
    {
      behaviour: '[devices] several messenger accounts at once; the bot asks each of them',
      actual: () => [
        policy.canAddMethod(as(messenger), messenger, 'push', now).allowed,
        policy.lifecycle().pushToAllDevices,
      ],
      expected: [true, true],
    },
    {
      behaviour: '[devices] several phone numbers; the user picks which one is called',
      actual: () => policy.canAddMethod(as(appAndPhone), appAndPhone, 'voice', now).allowed,
      expected: true,
    },
    {
      behaviour: '[devices] the app on several phones: each phone may be set up as its own device',
      actual: () => policy.canAddMethod(as(appAndPhone), appAndPhone, 'totp', now).allowed,
      expected: true,
    },
    {
      behaviour: '[devices] …or the app is switched off and on again to show a new QR code to every phone',
      actual: () => {
        const appOnly = user('m-5', { settings: { devices: devices('totp', 'push') } });
        const removed = policy.canRemoveMethod(as(appOnly), appOnly, 'totp', now).allowed;
        const pushOnly = user('m-5', { settings: { devices: devices('push') } });
        return [removed, policy.canAddMethod(as(pushOnly), pushOnly, 'totp', now).allowed];
      },
      expected: [true, true],
    },
    {
      behaviour: "[devices] every user's devices are his own: another user cannot add one to his account",
      actual: () => policy.canAddMethod(as(newcomer), messenger, 'push', now).reason,
      expected: 'not_owner',
    },
  ]);
});
