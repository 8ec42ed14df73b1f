/**
 * Story of the `partnerPortal` preset, row by row along the product it reproduces (`PRODUCTS.partnerPortal` in
 * ./products.ts: the documentation section, the rules walked and every control of its screens with the
 * question that answers it).
 */
import { createPolicy, partnerPortal, tenantFeaturesChangeRecord } from '@secondfactor/policy';
import { describe, expect } from 'vitest';
import { as, ctx, devices, NOW, tracked, user, walkStory } from '../helpers';
import { PRODUCTS } from './products';

const engine = tracked(createPolicy(partnerPortal));
const { policy } = engine;
const retailer = ctx([]);
const totpPartner = ctx(['partner', '2fa_totp']);
const emailPartner = ctx(['partner', '2fa_email', 'smtp']);
const emailWithoutSmtp = ctx(['partner', '2fa_email']);
const smtpOnly = ctx(['partner', 'smtp']);
const bothPartner = ctx(['partner', '2fa_totp', '2fa_email', 'smtp']);

const newcomer = user('p-1', { roles: ['admin'] });
const enrolled = user('p-2', { roles: ['admin'], settings: { devices: devices('totp') } });
const tenantAdmin = user('p-9', { roles: ['admin'] });
const otherPartnerAdmin = user('q-9', { roles: ['admin'], tenantId: 'globex' });
const agent = user('p-5', { roles: ['agent'] });

describe(`partnerPortal story: ${PRODUCTS.partnerPortal.section}`, () => {
  walkStory(
    [
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
        behaviour:
          '[intro] the host must say which features a tenant has: forgetting them is an error, never "no 2FA"',
        actual: () => {
          try {
            return policy.loginRequirement(enrolled, { now: NOW });
          } catch (error) {
            return error;
          }
        },
        expected: { code: 'invalid_argument', message: expect.stringContaining('ctx.tenantFeatures') },
      },
      {
        behaviour:
          "[intro] the settings are in the partner's admin panel: its administrator switches TOTP on or off",
        control: 'partner settings: TOTP on or off',
        actual: () => [
          policy.canConfigureTenant(as(tenantAdmin), 'acme', totpPartner),
          policy.canConfigureTenant(as(otherPartnerAdmin), 'acme', totpPartner).reason,
          policy.canConfigureTenant(as(agent), 'acme', totpPartner).reason,
        ],
        expected: [{ allowed: true, reason: 'tenant_admin' }, 'different_tenant', 'not_admin'],
      },
      {
        behaviour: '[intro] …with the password re-entered, and every change is recorded',
        actual: () => [
          policy.canConfigureTenant(as(tenantAdmin, { reauthenticatedAt: null }), 'acme', totpPartner).detail
            ?.proof,
          tenantFeaturesChangeRecord({
            actor: as(tenantAdmin),
            tenantId: 'acme',
            before: ['partner', '2fa_totp'],
            after: ['partner', '2fa_email', 'smtp'],
            at: NOW,
          }),
        ],
        expected: [
          'password',
          { type: 'tenant_features_changed', added: ['2fa_email', 'smtp'], removed: ['2fa_totp'] },
        ],
      },
      {
        behaviour: '[intro] the switches are not on user profiles',
        actual: () => [
          policy.canSetUseTwoFactor(as(tenantAdmin), newcomer, true, totpPartner).reason,
          policy.canSetUseTwoFactor(as(newcomer), newcomer, true, totpPartner).reason,
          policy.canSetUseTwoFactor(as(enrolled), enrolled, false, totpPartner).reason,
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
        actual: () => policy.codeFormat('totp').ttlSeconds,
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
        control: 'code entry window after user name and password',
        actual: () => policy.loginRequirement(enrolled, totpPartner),
        expected: { kind: 'challenge', reason: 'enrolled', methods: ['totp'] },
      },
      {
        behaviour: '[TOTP advantages] knowing the password is not enough: no way round the code',
        actual: () => [
          policy.canSkipSetup(as(newcomer), newcomer, totpPartner).reason,
          policy.canUseMethod(enrolled, { method: 'email' }, totpPartner).reason,
        ],
        expected: ['action_not_offered', 'method_unavailable_for_tenant'],
      },
      {
        behaviour:
          '[e-mail] the e-mail codes need the SMTP settings and the 2FA_EMAIL configuration of the partner',
        control: 'partner settings: e-mail codes and SMTP',
        actual: () => policy.canConfigureTenant(as(tenantAdmin), 'acme', emailPartner).allowed,
        expected: true,
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
        behaviour: '[e-mail] 2FA_EMAIL without SMTP cannot send codes: the login is refused, not let through',
        actual: () => policy.loginRequirement(newcomer, emailWithoutSmtp),
        expected: { kind: 'denied', reason: 'no_usable_method', methods: [] },
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
      {
        behaviour:
          '[both kinds] a partner that switches TOTP off leaves an app user the e-mail code, never nothing',
        actual: () => [
          policy.loginRequirement(enrolled, emailPartner).methods,
          policy.loginRequirement(enrolled, ctx(['partner'])).kind,
        ],
        expected: [['email'], 'denied'],
      },
    ],
    { tracked: engine, controls: PRODUCTS.partnerPortal.controls },
  );
});
