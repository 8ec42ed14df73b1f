/**
 * Story of the `accountAdmin` preset, row by row along the product it reproduces (`PRODUCTS.accountAdmin` in
 * ./products.ts: the documentation section, the product's labels, the rules walked and every control of
 * its screens with the question that answers it).
 */
import { accountAdmin, createPolicy } from '@secondfactor/policy';
import { describe } from 'vitest';
import { as, ctx, devices, NOW, passed, tracked, user, walkStory } from '../helpers';
import { PRODUCTS } from './products';

const engine = tracked(createPolicy(accountAdmin));
const { policy } = engine;
const now = ctx();

const admin = user('adm-1', { roles: ['admin'], settings: { devices: devices('totp') } });
const secondAdmin = user('adm-2', { roles: ['admin'], settings: { devices: devices('totp') } });
const strangerAdmin = user('adm-x', { roles: ['admin'], tenantId: 'globex' });
const support = user('tech-1', { roles: ['support'], tenantId: 'vendor' });
const plain = user('u-1');
const switchedOn = user('u-2', { settings: { useTwoFactor: true } });
const enrolled = user('u-3', { settings: { useTwoFactor: true, devices: devices('totp') } });
const pinnedOn = user('u-4', {
  settings: { useTwoFactor: true, mayToggle: false, devices: devices('totp') },
});
const pinnedOff = user('u-5', { settings: { useTwoFactor: false, mayToggle: false } });
const pinnedSetup = user('u-6', { settings: { useTwoFactor: true, mayToggle: false } });
const pinnedAdmin = user('adm-3', {
  roles: ['admin'],
  settings: { useTwoFactor: true, mayToggle: false },
});
const wasReset = user('u-7', { settings: { useTwoFactor: true, enrollment: 'reset' } });
const resetPinned = user('u-8', { settings: { useTwoFactor: true, mayToggle: false, enrollment: 'reset' } });

describe(`accountAdmin story: ${PRODUCTS.accountAdmin.section}`, () => {
  walkStory(
    [
      {
        behaviour: '[intro] the second factor is a time-based one-time password',
        actual: () => policy.loginRequirement(switchedOn, now).methods,
        expected: ['totp'],
      },
      {
        behaviour: '[admins] set "Use 2FA" to YES on another user\'s profile',
        control: "Use 2FA (YES/NO on another user's profile, by an administrator)",
        actual: () => policy.canSetUseTwoFactor(as(admin), plain, true, now),
        expected: { allowed: true, reason: 'tenant_admin' },
      },
      {
        behaviour: '[admins] …or on their own profile, YES and NO (NO with the password and a current code)',
        control: "Use 2FA (YES/NO on one's own profile)",
        actual: () => [
          policy.canSetUseTwoFactor(as(pinnedAdmin), pinnedAdmin, true, now).reason,
          policy.canSetUseTwoFactor(as(admin), admin, false, now).allowed,
        ],
        expected: ['already_enabled', true],
      },
      {
        behaviour: '[admins] set "Use 2FA" to NO for a user',
        actual: () => policy.canSetUseTwoFactor(as(admin), enrolled, false, now),
        expected: { allowed: true, reason: 'tenant_admin' },
      },
      {
        behaviour: '[admins] …a user who has no 2FA has nothing to switch off',
        actual: () => policy.canSetUseTwoFactor(as(admin), plain, false, now).reason,
        expected: 'not_enabled',
      },
      {
        behaviour: '[admins] only profiles of their own account',
        actual: () => policy.canSetUseTwoFactor(as(strangerAdmin), plain, true, now).reason,
        expected: 'different_tenant',
      },
      {
        behaviour: '[admins] after YES the user is asked to set 2FA up at his next login',
        actual: () => policy.loginRequirement(switchedOn, now),
        expected: { kind: 'enroll', reason: 'required_by_user_setting', deferrable: false },
      },
      {
        behaviour: '[admins] set "Can toggle the use of 2FA" on a usual user',
        control: 'Can toggle the use of 2FA',
        actual: () => policy.canSetMayToggle(as(admin), plain, now).allowed,
        expected: true,
      },
      {
        behaviour: '[admins] "Can toggle" is a setting of usual users: admins may always toggle',
        actual: () => policy.canSetMayToggle(as(admin), secondAdmin, now).reason,
        expected: 'subject_is_admin',
      },
      {
        behaviour: '[non-admins] with "Can toggle" = No, 2FA that is on cannot be switched off',
        actual: () => policy.canSetUseTwoFactor(as(pinnedOn), pinnedOn, false, now).reason,
        expected: 'toggle_not_permitted',
      },
      {
        behaviour: '[non-admins] with "Can toggle" = No, 2FA that is off cannot be switched on',
        actual: () => policy.canSetUseTwoFactor(as(pinnedOff), pinnedOff, true, now).reason,
        expected: 'toggle_not_permitted',
      },
      {
        behaviour: '[non-admins] the profile shows whether 2FA is in use',
        control: 'Use 2FA (shown on the profile)',
        actual: () => policy.canViewTwoFactorStatus(as(plain), plain, now),
        expected: { allowed: true, reason: 'owner' },
      },
      {
        behaviour: '[non-admins] with the right, the user switches "Use 2FA" himself',
        actual: () => [
          policy.canSetUseTwoFactor(as(plain), plain, true, now).allowed,
          policy.canSetUseTwoFactor(as(enrolled), enrolled, false, now).allowed,
        ],
        expected: [true, true],
      },
      {
        behaviour: '[first login] after the password: a QR code and a code field for the app',
        control: 'QR code and code field at the first login',
        actual: () => policy.canEnroll(as(switchedOn), switchedOn, 'totp', now),
        expected: { allowed: true, reason: 'owner' },
      },
      {
        behaviour:
          '[first login] "continue" with a right code logs the user in: the set-up was the second factor',
        control: 'continue',
        actual: () => policy.loginRequirement(enrolled, now).kind,
        expected: 'challenge',
      },
      {
        behaviour: "[first login] the app's codes are valid for 30 seconds",
        actual: () => policy.codeFormat('totp').ttlSeconds,
        expected: 30,
      },
      {
        behaviour: '[later logins] a code field only: no QR code, no way to switch 2FA off',
        control: 'code field at later logins',
        actual: () => [
          policy.loginRequirement(enrolled, now).kind,
          policy.canSkipSetup(as(enrolled), enrolled, now).reason,
        ],
        expected: ['challenge', 'setup_complete'],
      },
      {
        behaviour:
          '[difficulties] "Otp invalid!" for a wrong or stale code; a right code refused means the phone clock is off by more than one 30-second step',
        control: 'Otp invalid!',
        actual: () => [policy.codeFormat('totp'), policy.settings.otp.window],
        expected: [
          { digits: 6, ttlSeconds: 30, maxAttempts: 5 },
          { past: 1, future: 1 },
        ],
      },
      {
        behaviour: '[difficulties] 2FA never configured: "Disable 2FA" switches it off and lets the user in',
        control: 'Disable 2FA (first-login screen)',
        actual: () => policy.canSkipSetup(as(switchedOn), switchedOn, now),
        expected: { allowed: true, reason: 'owner' },
      },
      {
        behaviour: '[difficulties] …only for users with "Can toggle 2FA"',
        actual: () => policy.canSkipSetup(as(pinnedSetup), pinnedSetup, now).reason,
        expected: 'toggle_not_permitted',
      },
      {
        behaviour: '[difficulties] …and for administrators, whatever their "Can toggle"',
        actual: () => policy.canSkipSetup(as(pinnedAdmin), pinnedAdmin, now).allowed,
        expected: true,
      },
      {
        behaviour:
          '[difficulties] after a reset 2FA is not configured, so the same rule holds: "Disable 2FA" with the toggle right, never without',
        actual: () => [
          policy.canSkipSetup(as(wasReset), wasReset, now).allowed,
          policy.canSkipSetup(as(resetPinned), resetPinned, now).reason,
        ],
        expected: [true, 'toggle_not_permitted'],
      },
      {
        behaviour: '[difficulties] a usual user who is locked out asks the account admin, who resets his 2FA',
        control: "Reset 2FA (another user's profile)",
        actual: () => policy.canReset(as(admin), enrolled, now),
        expected: { allowed: true, reason: 'tenant_admin' },
      },
      {
        behaviour: '[difficulties] a locked-out admin asks another admin of the same account',
        actual: () => policy.canReset(as(secondAdmin, { secondFactor: null }), admin, now).allowed,
        expected: true,
      },
      {
        behaviour: '[difficulties] …never himself, and not an admin of another account',
        actual: () => [
          policy.canReset(as(admin), admin, now).reason,
          policy.canReset(as(strangerAdmin), admin, now).reason,
        ],
        expected: ['self_reset_forbidden', 'different_tenant'],
      },
      {
        behaviour: '[difficulties] after a reset the user sets 2FA up again at his next login',
        actual: () => policy.loginRequirement(wasReset, now),
        expected: { kind: 'enroll', reason: 'reset_pending', methods: ['totp'], deferrable: false },
      },
      {
        behaviour: '[difficulties] no other admin available: technical support resets',
        actual: () => policy.canReset(as(support), admin, now),
        expected: { allowed: true, reason: 'support_role' },
      },
      {
        behaviour: '[difficulties] after a login with 2FA the user resets his own 2FA to move to a new phone',
        control: 'Reset 2FA (own profile)',
        actual: () => policy.canResetOwn(as(enrolled), enrolled, now),
        expected: { allowed: true, reason: 'owner' },
      },
      {
        behaviour: '[difficulties] …only right after passing the code, not from an old session',
        actual: () =>
          policy.canResetOwn(as(enrolled, { secondFactor: passed(NOW - 3_600_000) }), enrolled, now).reason,
        expected: 'fresh_auth_required',
      },
    ],
    { tracked: engine, controls: PRODUCTS.accountAdmin.controls },
  );
});
