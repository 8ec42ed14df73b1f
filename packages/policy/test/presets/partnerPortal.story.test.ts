/**
 * Story of the `partnerPortal` preset, row by row along the product it reproduces (`PRODUCTS.partnerPortal` in
 * ./products.ts: the documentation section, the product's labels and the rules walked).
 */
import { createPolicy, partnerPortal } from '@secondfactor/policy';
import { describe } from 'vitest';
import { as, ctx, devices, user, walkStory } from '../helpers';
import { PRODUCTS } from './products';

const policy = createPolicy(partnerPortal);
const retailer = ctx([]);
const totpPartner = ctx(['partner', '2fa_totp']);
const emailPartner = ctx(['partner', '2fa_email', 'smtp']);
const emailWithoutSmtp = ctx(['partner', '2fa_email']);
const smtpOnly = ctx(['partner', 'smtp']);
const bothPartner = ctx(['partner', '2fa_totp', '2fa_email', 'smtp']);

const newcomer = user('p-1', { roles: ['admin'] });
const enrolled = user('p-2', { roles: ['admin'], settings: { devices: devices('totp') } });
const tenantAdmin = user('p-9', { roles: ['admin'] });

describe(`partnerPortal story: ${PRODUCTS.partnerPortal.section}`, () => {
  walkStory([
    {
      behaviour: '[intro] 2FA is a partner feature: a tenant that is not a partner has none',
      actual: () => policy.loginRequirement(newcomer, retailer),
      expected: { kind: 'none', reason: 'feature_unavailable' },
    },
    {
      behaviour: '[intro] …and nobody there can set it up either',
      actual: () => policy.canEnroll(as(newcomer), newcomer, 'totp', retailer),
      expected: { allowed: false, reason: 'feature_unavailable' },
    },
    {
      behaviour: '[intro] the switches live in the partner settings, not on user profiles',
      actual: () => [
        policy.canRequire(as(tenantAdmin), newcomer, totpPartner).reason,
        policy.canEnable(as(newcomer), newcomer, totpPartner).reason,
        policy.canDisable(as(enrolled), enrolled, totpPartner).reason,
      ],
      expected: ['action_not_offered', 'action_not_offered', 'action_not_offered'],
    },
    {
      behaviour: '[intro] two kinds of second step: an app code (QR) and an e-mail code',
      actual: () => ['totp', 'email', 'sms', 'push'].map((m) => policy.methodInfo(m as 'totp').allowed),
      expected: [true, true, false, false],
    },
    {
      behaviour: '[TOTP] the app makes a new password every 30 seconds',
      actual: () => policy.codeTtlSeconds('totp'),
      expected: 30,
    },
    {
      behaviour:
        '[TOTP set-up 1–3] once the partner turns TOTP on, a user without an app scans the QR and confirms a code',
      actual: () => policy.loginRequirement(newcomer, totpPartner),
      expected: { kind: 'enroll', reason: 'required_by_tenant', methods: ['totp'], deferrable: false },
    },
    {
      behaviour: '[TOTP set-up 2] the user links his own app; nobody else can do it for him',
      actual: () => [
        policy.canEnroll(as(newcomer), newcomer, 'totp', totpPartner).allowed,
        policy.canEnroll(as(tenantAdmin), newcomer, 'totp', totpPartner).reason,
      ],
      expected: [true, 'not_owner'],
    },
    {
      behaviour: '[TOTP login 4] username and password first, then the current code from the app',
      actual: () => policy.loginRequirement(enrolled, totpPartner),
      expected: { kind: 'challenge', reason: 'enrolled', methods: ['totp'] },
    },
    {
      behaviour: '[TOTP advantages] knowing the password is not enough: no way round the code',
      actual: () => [
        policy.canSkipSetup(as(newcomer), newcomer, totpPartner).reason,
        policy.canUseMethod(enrolled, 'email', totpPartner).reason,
      ],
      expected: ['action_not_offered', 'method_unavailable_for_tenant'],
    },
    {
      behaviour:
        '[e-mail] SMTP and the 2FA_EMAIL configuration together bring the code window after username and password',
      actual: () => policy.loginRequirement(newcomer, emailPartner),
      expected: { kind: 'challenge', reason: 'method_without_enrollment', methods: ['email'] },
    },
    {
      behaviour: '[e-mail] the code goes to the account address: there is nothing to enroll',
      actual: () => policy.canEnroll(as(newcomer), newcomer, 'email', emailPartner),
      expected: { allowed: false, reason: 'method_not_enrollable' },
    },
    {
      behaviour:
        '[e-mail] 2FA_EMAIL without SMTP cannot send codes: the login is refused rather than let through',
      actual: () => policy.loginRequirement(newcomer, emailWithoutSmtp),
      expected: { kind: 'enroll', reason: 'no_usable_method', methods: [], deferrable: false },
    },
    {
      behaviour: '[e-mail] SMTP alone, without the 2FA_EMAIL configuration, changes nothing',
      actual: () => policy.loginRequirement(newcomer, smtpOnly),
      expected: { kind: 'none', reason: 'not_required' },
    },
    {
      behaviour: '[both kinds] a partner with both configured lets an enrolled user answer with either',
      actual: () => policy.loginRequirement(enrolled, bothPartner).methods,
      expected: ['totp', 'email'],
    },
  ]);
});
