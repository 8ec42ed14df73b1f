/**
 * @module
 * The five products the demo can be (`PRESET`): each preset of `@secondfactor/policy` with the two
 * settings a demo needs on top ("remember this browser" for 30 days; for accountAdmin a three-day grace
 * in which "Set up later" is offered), the users seeded for it, and the tenants' starting features.
 */
import {
  accountAdmin,
  exclusiveMethod,
  multiMethod,
  type PolicyConfig,
  partnerPortal,
  selfService,
} from '@secondfactor/policy';

/** The value of `PRESET`. */
export type ProductName =
  | 'selfService'
  | 'accountAdmin'
  | 'partnerPortal'
  | 'multiMethod'
  | 'exclusiveMethod';

export const PRODUCT_NAMES: readonly ProductName[] = [
  'selfService',
  'accountAdmin',
  'partnerPortal',
  'multiMethod',
  'exclusiveMethod',
];

/** A seeded user: the user name is the id. */
export interface DemoUser {
  id: string;
  password: string;
  roles: string[];
  tenantId?: string | undefined;
  email: string;
  /** A number to offer on the phone form (the exclusiveMethod colleagues share one). */
  phone?: string | undefined;
}

/** A tenant and the 2FA features its settings switch on (partnerPortal; `smtp` follows its SMTP server). */
export interface DemoTenant {
  id: string;
  name: string;
  features: string[];
}

export interface Product {
  name: ProductName;
  /** One line for the start banner. */
  summary: string;
  policy: PolicyConfig;
  users: DemoUser[];
  tenants: DemoTenant[];
  /** Users whose "Use 2FA" an admin switches on at the first start (so their first login sets up). */
  requiredAtStart: string[];
}

const GRACE_SECONDS = 3 * 24 * 3600;
const REMEMBER_DAYS = 30;

const user = (id: string, roles: string[] = [], tenantId?: string, phone?: string): DemoUser => ({
  id,
  password: `${id}-demo`,
  roles,
  ...(tenantId === undefined ? {} : { tenantId }),
  email: `${id}@example.com`,
  ...(phone === undefined ? {} : { phone }),
});

/** The preset with "remember this browser" on, and `extra` merged one level deep. */
function withDemoSettings(preset: PolicyConfig, extra: Partial<PolicyConfig> = {}): PolicyConfig {
  return {
    ...preset,
    ...extra,
    sessions: { ...preset.sessions, rememberDeviceDays: REMEMBER_DAYS },
  };
}

/** The product `name`, with its policy, users and tenants. */
export function productOf(name: ProductName): Product {
  switch (name) {
    case 'selfService':
      return {
        name,
        summary: '2FA is each user’s choice: an authenticator app and backup codes; admins see who has it.',
        policy: withDemoSettings(selfService),
        users: [user('admin', ['admin']), user('ada'), user('bob')],
        tenants: [],
        requiredAtStart: [],
      };
    case 'accountAdmin':
      return {
        name,
        summary: 'Account admins switch "Use 2FA" and "Can toggle 2FA" per user and reset a lost phone.',
        policy: withDemoSettings(accountAdmin, {
          requirement: { ...accountAdmin.requirement, userGraceSeconds: GRACE_SECONDS },
        }),
        users: [
          user('acme-admin', ['admin'], 'acme'),
          user('ada', [], 'acme'),
          user('bob', [], 'acme'),
          user('globex-admin', ['admin'], 'globex'),
          user('carol', [], 'globex'),
        ],
        tenants: [
          { id: 'acme', name: 'Acme', features: [] },
          { id: 'globex', name: 'Globex', features: [] },
        ],
        requiredAtStart: ['ada'],
      };
    case 'partnerPortal':
      return {
        name,
        summary: '2FA is a partner feature: each partner turns on app codes and e-mail codes for its users.',
        policy: withDemoSettings(partnerPortal),
        users: [
          user('acme-admin', ['admin'], 'acme'),
          user('ada', [], 'acme'),
          user('globex-admin', ['admin'], 'globex'),
          user('carol', [], 'globex'),
          user('dave', [], 'retail'),
        ],
        tenants: [
          { id: 'acme', name: 'Acme (partner, app codes)', features: ['partner', '2fa_totp'] },
          { id: 'globex', name: 'Globex (partner, e-mail codes)', features: ['partner', '2fa_email'] },
          { id: 'retail', name: 'Retail (not a partner)', features: [] },
        ],
        requiredAtStart: [],
      };
    case 'multiMethod':
      return {
        name,
        summary: 'Telegram approval, authenticator apps on several phones, and a call that backs them up.',
        policy: withDemoSettings(multiMethod),
        users: [user('ada', [], undefined, '+15550100001'), user('bob', [], undefined, '+15550100002')],
        tenants: [],
        requiredAtStart: [],
      };
    case 'exclusiveMethod':
      return {
        name,
        summary: 'SMS codes or an app, one at a time; a number a colleague verified needs no new check.',
        policy: withDemoSettings(exclusiveMethod),
        users: [user('ada', [], 'acme', '+15550100001'), user('bob', [], 'acme', '+15550100001')],
        tenants: [{ id: 'acme', name: 'Acme', features: [] }],
        requiredAtStart: [],
      };
  }
}
