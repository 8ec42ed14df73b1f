/**
 * Story of the `accountAdmin` preset, row by row along the product it reproduces (`PRODUCTS.accountAdmin` in
 * ./products.ts: the documentation section, the product's labels and the rules walked).
 */
import { accountAdmin, createPolicy } from '@secondfactor/policy';
import { describe } from 'vitest';
import { as, ctx, devices, NOW, user, walkStory } from '../helpers';
import { PRODUCTS } from './products';

const policy = createPolicy(accountAdmin);
const now = ctx();

const admin = user('adm-1', { roles: ['admin'], settings: { devices: devices('totp') } });
const secondAdmin = user('adm-2', { roles: ['admin'], settings: { devices: devices('totp') } });
const strangerAdmin = user('adm-x', { roles: ['admin'], tenantId: 'globex' });
const support = user('tech-1', { roles: ['support'], tenantId: 'vendor' });
const plain = user('u-1');
const switchedOn = user('u-2', { settings: { requiredByAdmin: true } });
const enrolled = user('u-3', { settings: { requiredByAdmin: true, devices: devices('totp') } });
const pinnedOn = user('u-4', {
  settings: { requiredByAdmin: true, mayToggle: false, devices: devices('totp') },
});
const pinnedOff = user('u-5', { settings: { requiredByAdmin: false, mayToggle: false } });
const pinnedSetup = user('u-6', { settings: { requiredByAdmin: true, mayToggle: false } });
const pinnedAdmin = user('adm-3', {
  roles: ['admin'],
  settings: { requiredByAdmin: true, mayToggle: false },
});
const wasReset = user('u-7', { settings: { requiredByAdmin: true, enrollment: 'reset' } });

describe(`accountAdmin story: ${PRODUCTS.accountAdmin.section}`, () => {
  walkStory([
    {
      behaviour: '[intro] the second factor is a time-based one-time password',
      actual: () => policy.loginRequirement(switchedOn, now).methods,
      expected: ['totp'],
    },
    {
      behaviour: '[admins] set "Use 2FA" to YES on another user\'s profile',
      actual: () => policy.canRequire(as(admin), plain, now),
      expected: { allowed: true, reason: 'tenant_admin' },
    },
    {
      behaviour: '[admins] …or on their own profile',
      actual: () => policy.canRequire(as(admin), admin, now).allowed,
      expected: true,
    },
    {
      behaviour: '[admins] set "Use 2FA" to NO for a user',
      actual: () => policy.canDisableFor(as(admin), enrolled, now),
      expected: { allowed: true, reason: 'tenant_admin' },
    },
    {
      behaviour: '[admins] only profiles of their own account',
      actual: () => policy.canRequire(as(strangerAdmin), plain, now).reason,
      expected: 'different_tenant',
    },
    {
      behaviour: '[admins] after YES the user is asked to set 2FA up at his next login',
      actual: () => policy.loginRequirement(switchedOn, now),
      expected: { kind: 'enroll', reason: 'required_by_user_setting', deferrable: false },
    },
    {
      behaviour: '[admins] set "Can toggle the use of 2FA" on a usual user',
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
      actual: () => policy.canDisable(as(pinnedOn), pinnedOn, now).reason,
      expected: 'toggle_not_permitted',
    },
    {
      behaviour: '[non-admins] with "Can toggle" = No, 2FA that is off cannot be switched on',
      actual: () => policy.canEnable(as(pinnedOff), pinnedOff, now).reason,
      expected: 'toggle_not_permitted',
    },
    {
      behaviour: '[non-admins] the profile shows whether 2FA is in use',
      actual: () => policy.canViewTwoFactorStatus(as(plain), plain, now),
      expected: { allowed: true, reason: 'owner' },
    },
    {
      behaviour: '[non-admins] with the right, the user switches "Use 2FA" himself',
      actual: () => [
        policy.canEnable(as(plain), plain, now).allowed,
        policy.canDisable(as(enrolled), enrolled, now).allowed,
      ],
      expected: [true, true],
    },
    {
      behaviour: '[first login] after the password: a QR code and a code field for the app',
      actual: () => policy.canEnroll(as(switchedOn), switchedOn, 'totp', now),
      expected: { allowed: true, reason: 'owner' },
    },
    {
      behaviour: "[first login] the app's codes are valid for 30 seconds",
      actual: () => policy.codeTtlSeconds('totp'),
      expected: 30,
    },
    {
      behaviour: '[later logins] a code field only: no QR code, no way to switch 2FA off',
      actual: () => [
        policy.loginRequirement(enrolled, now).kind,
        policy.canSkipSetup(as(enrolled), enrolled, now).reason,
      ],
      expected: ['challenge', 'setup_complete'],
    },
    {
      behaviour: '[difficulties] 2FA never configured: "Disable 2FA" switches it off and lets the user in',
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
      behaviour: '[difficulties] a usual user who is locked out asks the account admin, who resets his 2FA',
      actual: () => policy.canReset(as(admin), enrolled, now),
      expected: { allowed: true, reason: 'tenant_admin' },
    },
    {
      behaviour: '[difficulties] a locked-out admin asks another admin of the same account',
      actual: () => policy.canReset(as(secondAdmin, { secondFactorAt: undefined }), admin, now).allowed,
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
      actual: () => policy.canResetOwn(as(enrolled), enrolled, now),
      expected: { allowed: true, reason: 'owner' },
    },
    {
      behaviour: '[difficulties] …only right after passing the code, not from an old session',
      actual: () =>
        policy.canResetOwn(as(enrolled, { secondFactorAt: NOW - 3_600_000 }), enrolled, now).reason,
      expected: 'fresh_auth_required',
    },
  ]);
});
