/**
 * Story of the `selfService` preset, row by row along the product it reproduces (`PRODUCTS.selfService` in
 * ./products.ts: the documentation section, the product's labels, the rules walked and every control of its
 * screens with the question that answers it).
 */
import { createPolicy, selfService } from '@secondfactor/policy';
import { describe } from 'vitest';
import { as, ctx, devices, NOW, passed, soleUser, tracked, walkStory } from '../helpers';
import { PRODUCTS } from './products';

const engine = tracked(createPolicy(selfService));
const { policy } = engine;
const now = ctx();

const newcomer = soleUser('c-1');
const enrolled = soleUser('c-2', { settings: { devices: devices('totp'), backupCodesRemaining: 10 } });
const codesUsedUp = soleUser('c-4', { settings: { devices: devices('totp'), backupCodesRemaining: 0 } });
const admin = soleUser('adm', { roles: ['admin'] });
const colleague = soleUser('c-3');

describe(`selfService story: ${PRODUCTS.selfService.section}`, () => {
  walkStory(
    [
      {
        behaviour: '[intro] by default a login is e-mail and password only',
        actual: () => policy.loginRequirement(newcomer, now),
        expected: { kind: 'none', reason: 'not_required' },
      },
      {
        behaviour: '[intro] each user may turn 2FA on, right after signing in: no password re-entry',
        control: 'Enable two-factor authentication',
        actual: () =>
          policy.canSetUseTwoFactor(as(newcomer, { reauthenticatedAt: null }), newcomer, true, now),
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
        behaviour: '[enable] scan the QR code, or "Can\'t scan a QR code?" shows the account name and key',
        control: "Can't scan a QR code?",
        actual: () => policy.canEnroll(as(newcomer), newcomer, 'totp', now),
        expected: { allowed: true, reason: 'owner' },
      },
      {
        behaviour: '[enable] the confirmation code has six digits',
        control: 'Confirmation code',
        actual: () => policy.codeFormat('totp').digits,
        expected: 6,
      },
      {
        behaviour: '[enable] "Enable" with a right code switches 2FA on; only the owner can',
        control: 'Enable',
        actual: () => [
          policy.canEnroll(as(newcomer), newcomer, 'totp', now).allowed,
          policy.canEnroll(as(admin), newcomer, 'totp', now).reason,
        ],
        expected: [true, 'not_owner'],
      },
      {
        behaviour: '[enable] a right code brings a set of backup codes to save to a file, print or copy',
        control: 'Save to file, Print, Copy',
        actual: () => policy.lifecycle(),
        expected: { issueBackupCodes: true, backupCodeCount: 10 },
      },
      {
        behaviour:
          '[enable] backup codes stand in when the app is out of reach, while the user has unused ones',
        control: 'backup code at login',
        actual: () => [
          policy.loginRequirement(enrolled, now).fallbackMethods,
          policy.loginRequirement(codesUsedUp, now).fallbackMethods,
          policy.methodInfo('backup_code').fallbackOnly,
        ],
        expected: [['backup_code'], [], true],
      },
      {
        behaviour: '[enable] the user confirms he saved the codes',
        control: 'I confirm that the codes are saved',
        actual: () => policy.lifecycle().backupCodesAcknowledgementRequired,
        expected: true,
      },
      {
        behaviour:
          '[disable] "Disable authentication": the user switches 2FA off himself (password and current code)',
        control: 'Disable authentication',
        actual: () => [
          policy.canSetUseTwoFactor(as(enrolled), enrolled, false, now).allowed,
          policy.freshAuthRequired('disable').proof,
        ],
        expected: [true, 'password_and_second_factor'],
      },
      {
        behaviour: '[new codes] "Generate new codes" asks for the confirmation code from the app',
        control: 'Generate new codes',
        actual: () => policy.canRegenerateBackupCodes(as(enrolled, { secondFactor: null }), enrolled, now),
        expected: { allowed: false, reason: 'fresh_auth_required', detail: { proof: 'second_factor' } },
      },
      {
        behaviour: '[new codes] …a backup code just used to sign in is not that confirmation',
        actual: () =>
          policy.canRegenerateBackupCodes(
            as(enrolled, { secondFactor: passed(NOW, 'backup_code') }),
            enrolled,
            now,
          ),
        expected: { allowed: false, reason: 'fresh_auth_required', detail: { primaryFactor: true } },
      },
      {
        behaviour: '[new codes] …with a code from the app, the set is replaced',
        actual: () => policy.canRegenerateBackupCodes(as(enrolled), enrolled, now).allowed,
        expected: true,
      },
      {
        behaviour: "[users] the admin's user table marks accounts that have 2FA",
        control: '2FA (sign in the user table)',
        actual: () => policy.canViewTwoFactorStatus(as(admin), enrolled, now),
        expected: { allowed: true, reason: 'tenant_admin' },
      },
      {
        behaviour: '[users] …a colleague without admin rights does not see it',
        actual: () => policy.canViewTwoFactorStatus(as(colleague), enrolled, now).reason,
        expected: 'not_admin',
      },
      {
        behaviour: '[users] "Disable two-factor authentication" in the user menu: the admin switches it off',
        control: 'Disable two-factor authentication (user menu)',
        actual: () => policy.canSetUseTwoFactor(as(admin), enrolled, false, now),
        expected: { allowed: true, reason: 'tenant_admin' },
      },
      {
        behaviour: '[users] …for an account without 2FA there is nothing to switch off',
        actual: () => policy.canSetUseTwoFactor(as(admin), newcomer, false, now).reason,
        expected: 'not_enabled',
      },
      {
        behaviour:
          '[users] switching 2FA on for another account is not offered, and nobody enrolls a device for another',
        actual: () => [
          policy.canSetUseTwoFactor(as(admin), newcomer, true, now).reason,
          policy.canEnroll(as(admin), newcomer, 'totp', now).reason,
        ],
        expected: ['action_not_offered', 'not_owner'],
      },
    ],
    { tracked: engine, controls: PRODUCTS.selfService.controls },
  );
});
