/**
 * @module
 * The demo's user accounts: the seeded users with scrypt password hashes, the password check of the
 * login form, and the admin directory the adapter asks "who is whose admin" (an admin of the same
 * tenant; with one tenant, any admin).
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { SecondFactorExpressOptions } from '@secondfactor/express';
import type { TwoFactorUser } from '@secondfactor/service';
import type { DemoUser } from './products';

interface Account {
  user: DemoUser;
  salt: Buffer;
  hash: Buffer;
}

const hashOf = (password: string, salt: Buffer): Buffer => scryptSync(password, salt, 32);
const ADMIN_ROLE = 'admin';

/** The adapter's admin directory type (`AdminDirectory` of `@secondfactor/http`). */
export type AdminDirectory = NonNullable<SecondFactorExpressOptions['admin']>;

/** The user as the service and the adapter know him: id, roles, tenant. */
export const asTwoFactorUser = (user: DemoUser): TwoFactorUser => ({
  id: user.id,
  roles: [...user.roles],
  ...(user.tenantId === undefined ? {} : { tenantId: user.tenantId }),
});

export interface Users {
  /** Every user, by id. */
  all(): DemoUser[];
  find(id: string): DemoUser | undefined;
  /** The user when `password` is his, otherwise `null`; as slow for an unknown name as for a known one. */
  checkPassword(name: string, password: string): DemoUser | null;
  isAdmin(user: TwoFactorUser): boolean;
  /** The adapter's `admin` option. */
  directory: AdminDirectory;
}

export function createUsers(seed: readonly DemoUser[]): Users {
  const accounts = new Map<string, Account>(
    seed.map((user) => {
      const salt = randomBytes(16);
      return [user.id, { user, salt, hash: hashOf(user.password, salt) }];
    }),
  );
  const decoy = { salt: randomBytes(16), hash: randomBytes(32) };
  const isAdmin = (user: TwoFactorUser) => user.roles.includes(ADMIN_ROLE);
  const sameTenant = (actor: TwoFactorUser, user: DemoUser) => actor.tenantId === user.tenantId;

  return {
    all: () => [...accounts.values()].map((account) => account.user),
    find: (id) => accounts.get(id)?.user,
    checkPassword(name, password) {
      const account = accounts.get(name);
      const { salt, hash } = account ?? decoy;
      const matches = timingSafeEqual(hashOf(password, salt), hash);
      return matches && account !== undefined ? account.user : null;
    },
    isAdmin,
    directory: {
      subject: (actor, userId) => {
        const user = accounts.get(userId)?.user;
        return user !== undefined && isAdmin(actor) && sameTenant(actor, user) ? asTwoFactorUser(user) : null;
      },
      users: async (actor, { cursor, limit }) => {
        if (!isAdmin(actor)) return { users: [], next: null };
        const inTenant = [...accounts.values()]
          .map((account) => account.user)
          .filter((user) => sameTenant(actor, user) && (cursor === undefined || user.id > cursor))
          .sort((a, b) => (a.id < b.id ? -1 : 1));
        const page = inTenant.slice(0, limit);
        const last = page.at(-1);
        return {
          users: page.map(asTwoFactorUser),
          next: inTenant.length > limit && last !== undefined ? last.id : null,
        };
      },
    },
  };
}
