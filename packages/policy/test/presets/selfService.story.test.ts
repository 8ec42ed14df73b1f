/**
 * Story of the `selfService` preset, row by row along the product it reproduces (`PRODUCTS.selfService` in
 * ./products.ts: the documentation section, the product's labels and the rules walked).
 */
import { createPolicy, selfService } from '@secondfactor/policy';
import { describe } from 'vitest';
import { as, ctx, devices, user, walkStory } from '../helpers';
import { PRODUCTS } from './products';

const policy = createPolicy(selfService);
const now = ctx();

const newcomer = user('c-1');
const enrolled = user('c-2', { settings: { devices: devices('totp', 'backup_code') } });
const admin = user('adm', { roles: ['admin'] });
const colleague = user('c-3');

describe(`selfService story: ${PRODUCTS.selfService.section}`, () => {
  walkStory([
    {
      behaviour: '[intro] by default a login is e-mail and password only',
      actual: () => policy.loginRequirement(newcomer, now),
      expected: { kind: 'none', reason: 'not_required' },
    },
    {
      behaviour: '[intro] each user may turn 2FA on to make his login safer',
      actual: () => policy.canEnable(as(newcomer), newcomer, now),
      expected: { allowed: true, reason: 'owner' },
    },
    {
      behaviour: '[intro] with 2FA on, the login also asks for a code from the phone app',
      actual: () => policy.loginRequirement(enrolled, now),
      expected: { kind: 'challenge', methods: ['totp'] },
    },
    {
      behaviour: '[intro] the attempt limit is whatever the authentication settings say',
      actual: () => [
        policy.failureLimits().maxFailures,
        createPolicy({ ...selfService, attempts: { maxFailures: 7 } }).failureLimits().maxFailures,
      ],
      expected: [5, 7],
    },
    {
      behaviour: '[device] phone and server clocks may be up to a minute apart',
      actual: () => {
        const { window, periodSeconds } = policy.settings.otp;
        return Math.min(window.past, window.future) * periodSeconds >= 60;
      },
      expected: true,
    },
    {
      behaviour: "[enable] scan the QR code (or type the key) and confirm with the app's code",
      actual: () => policy.canEnroll(as(newcomer), newcomer, 'totp', now),
      expected: { allowed: true, reason: 'owner' },
    },
    {
      behaviour: '[enable] the confirmation code has six digits',
      actual: () => policy.settings.otp.digits,
      expected: 6,
    },
    {
      behaviour: '[enable] a right code brings a set of backup codes',
      actual: () => policy.lifecycle(),
      expected: { issueBackupCodes: true, backupCodeCount: 10 },
    },
    {
      behaviour: '[enable] backup codes stand in when the app is out of reach, never on their own',
      actual: () => [
        policy.loginRequirement(enrolled, now).fallbackMethods,
        policy.methodInfo('backup_code').fallbackOnly,
      ],
      expected: [['backup_code'], true],
    },
    {
      behaviour: '[enable] the user confirms he saved the codes',
      actual: () => policy.lifecycle().backupCodesAcknowledgementRequired,
      expected: true,
    },
    {
      behaviour: '[disable] the user switches 2FA off himself (password and current code)',
      actual: () => [
        policy.canDisable(as(enrolled), enrolled, now).allowed,
        policy.freshAuthRequired('disable').proof,
      ],
      expected: [true, 'password_and_second_factor'],
    },
    {
      behaviour: '[new codes] new backup codes need a confirmation code from the app',
      actual: () =>
        policy.canRegenerateBackupCodes(as(enrolled, { secondFactorAt: undefined }), enrolled, now),
      expected: { allowed: false, reason: 'fresh_auth_required', detail: { proof: 'second_factor' } },
    },
    {
      behaviour: '[new codes] …and with one, the set is replaced',
      actual: () => policy.canRegenerateBackupCodes(as(enrolled), enrolled, now).allowed,
      expected: true,
    },
    {
      behaviour: "[users] the admin's user table marks accounts that have 2FA",
      actual: () => policy.canViewTwoFactorStatus(as(admin), enrolled, now),
      expected: { allowed: true, reason: 'tenant_admin' },
    },
    {
      behaviour: '[users] …a colleague without admin rights does not see it',
      actual: () => policy.canViewTwoFactorStatus(as(colleague), enrolled, now).reason,
      expected: 'not_admin',
    },
    {
      behaviour: '[users] the admin may switch 2FA off for an account',
      actual: () => policy.canDisableFor(as(admin), enrolled, now),
      expected: { allowed: true, reason: 'tenant_admin' },
    },
    {
      behaviour: '[users] switching 2FA on for another account is not offered: not by requiring it…',
      actual: () => policy.canRequire(as(admin), newcomer, now).reason,
      expected: 'action_not_offered',
    },
    {
      behaviour: '[users] …not by enabling it, not by enrolling a device',
      actual: () => [
        policy.canEnable(as(admin), newcomer, now).reason,
        policy.canEnroll(as(admin), newcomer, 'totp', now).reason,
      ],
      expected: ['not_owner', 'not_owner'],
    },
  ]);
});
