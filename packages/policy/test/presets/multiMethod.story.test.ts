/**
 * Story of the `multiMethod` preset, row by row along the product it reproduces (`PRODUCTS.multiMethod` in
 * ./products.ts: the documentation section, the product's labels, the rules walked and every control of its
 * screens with the question that answers it).
 */
import { bruteForceBound, createPolicy, multiMethod, validatePolicy } from '@secondfactor/policy';
import { describe } from 'vitest';
import { as, ctx, devices, soleUser, tracked, walkStory } from '../helpers';
import { PRODUCTS } from './products';

const engine = tracked(createPolicy(multiMethod));
const { policy } = engine;
const now = ctx();

const newcomer = soleUser('m-1');
const messenger = soleUser('m-2', { settings: { devices: devices('push') } });
const appAndPhone = soleUser('m-3', {
  settings: {
    devices: [
      { method: 'totp', id: 'app-1' },
      { method: 'voice', id: 'phone-1' },
      { method: 'voice', id: 'phone-2' },
    ],
  },
});
const everything = soleUser('m-4', {
  settings: { devices: devices('push', 'push', 'totp', 'voice', 'voice') },
});

describe(`multiMethod story: ${PRODUCTS.multiMethod.section}`, () => {
  walkStory(
    [
      {
        behaviour: '[intro] "Launch" beside Telegram: confirm the login in the messenger bot',
        control: 'Launch (Telegram)',
        actual: () => policy.canEnroll(as(newcomer), newcomer, 'push', now),
        expected: { allowed: true, reason: 'owner' },
      },
      {
        behaviour: '[intro] …or type a code from an authenticator app',
        actual: () => policy.canEnroll(as(newcomer), newcomer, 'totp', now).allowed,
        expected: true,
      },
      {
        behaviour:
          '[intro] …or, with a phone number on the account, take a call whose number ends in the code',
        actual: () => policy.loginRequirement(appAndPhone, now),
        expected: { kind: 'challenge', methods: ['totp'], fallbackMethods: ['voice'] },
      },
      {
        behaviour: '[intro] the user picks which of his numbers is called; only his own',
        control: 'request a call (pick a number)',
        actual: () => [
          policy.canUseMethod(appAndPhone, { method: 'voice', id: 'phone-2' }, now).allowed,
          policy.canUseMethod(appAndPhone, { method: 'voice', id: 'phone-of-someone-else' }, now).reason,
        ],
        expected: [true, 'device_not_found'],
      },
      {
        behaviour:
          '[intro] the code is the last 4 digits of the calling number; 3 tries per call keep guessing at 0.0003',
        actual: () => [
          policy.codeFormat('voice'),
          policy.bruteForceBounds().find((bound) => bound.method === 'voice')?.probability,
          bruteForceBound({ acceptedValues: 1, attempts: 3, digits: 4 }),
        ],
        expected: [{ digits: 4, maxAttempts: 3 }, 0.0003, 0.0003],
      },
      {
        behaviour: '[intro] …a 4-digit call code is refused under compliance l2 and l3',
        actual: () =>
          ['l2', 'l3'].map((compliance) =>
            validatePolicy({ ...multiMethod, compliance: compliance as 'l2' }).some(
              (p) => p.path === 'deliveredCodes.digitsByMethod.voice',
            ),
          ),
        expected: [true, true],
      },
      {
        behaviour: '[intro] when calls do not arrive, after several of them the code comes by SMS',
        control: 'SMS instead of a new call',
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
        actual: () => policy.canRemoveDevice(as(appAndPhone), appAndPhone, { method: 'totp' }, now).reason,
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
        actual: () => policy.canRemoveDevice(as(messenger), messenger, { method: 'push' }, now),
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
        control: 'Launch (Google Authenticator)',
        actual: () => [
          policy.canAddMethod(as(messenger), messenger, 'totp', now).allowed,
          policy.canAddMethod(as(messenger, { secondFactor: null }), messenger, 'totp', now).reason,
        ],
        expected: [true, 'fresh_auth_required'],
      },
      {
        behaviour: '[app] "Confirm" with the six-digit code the app shows',
        control: 'Confirm',
        actual: () => policy.codeFormat('totp').digits,
        expected: 6,
      },
      {
        behaviour: '[disable] "Disable" beside any one method removes just that method',
        control: 'Disable',
        actual: () => policy.canRemoveDevice(as(everything), everything, { method: 'totp' }, now).allowed,
        expected: true,
      },
      {
        behaviour: '[devices] several messenger accounts at once; the bot asks each of them',
        control: 'confirmation sent to every linked Telegram account',
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
          const appOnly = soleUser('m-5', { settings: { devices: devices('totp', 'push') } });
          const removed = policy.canRemoveDevice(as(appOnly), appOnly, { method: 'totp' }, now).allowed;
          const pushOnly = soleUser('m-5', { settings: { devices: devices('push') } });
          return [removed, policy.canAddMethod(as(pushOnly), pushOnly, 'totp', now).allowed];
        },
        expected: [true, true],
      },
      {
        behaviour: "[devices] every user's devices are his own: another user cannot add one to his account",
        actual: () => policy.canAddMethod(as(newcomer), messenger, 'push', now).reason,
        expected: 'not_owner',
      },
    ],
    { tracked: engine, controls: PRODUCTS.multiMethod.controls },
  );
});
