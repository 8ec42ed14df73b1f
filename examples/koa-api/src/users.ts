/**
 * @module
 * The API's own accounts, as an existing app has them: three users with scrypt password hashes, the
 * password check of `POST /login`, and the admin directory the 2FA middleware asks "who is whose admin"
 * (one account, `acme`: its admin administers every user of it; the `accountAdmin` policy is multi-tenant,
 * so each user carries his account as `tenantId`).
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { AdminDirectory } from '@secondfactor/http';
import type { TwoFactorUser } from '@secondfactor/service';

/** A user of the API and his password (printed at start: this is a demo). */
export interface ApiUser {
  id: string;
  password: string;
  roles: string[];
}

/** The seeded users: one admin and two users. */
export const SEED_USERS: readonly ApiUser[] = [
  { id: 'admin', password: 'admin-password', roles: ['admin'] },
  { id: 'ada', password: 'ada-password', roles: [] },
  { id: 'bob', password: 'bob-password', roles: [] },
];

export interface Users {
  /** The user when `password` is his, otherwise `null`; as slow for an unknown name as for a known one. */
  checkPassword(username: unknown, password: unknown): TwoFactorUser | null;
  /** The middleware's `admin` option. */
  directory: AdminDirectory;
}

const hashOf = (password: string, salt: Buffer): Buffer => scryptSync(password, salt, 32);
const isAdmin = (user: TwoFactorUser): boolean => user.roles.includes('admin');
/** The one account of this API. */
export const ACCOUNT_ID = 'acme';

const asTwoFactorUser = (user: ApiUser): TwoFactorUser => ({
  id: user.id,
  roles: [...user.roles],
  tenantId: ACCOUNT_ID,
});

export function createUsers(seed: readonly ApiUser[] = SEED_USERS): Users {
  const accounts = new Map(
    seed.map((user) => {
      const salt = randomBytes(16);
      return [user.id, { user, salt, hash: hashOf(user.password, salt) }] as const;
    }),
  );
  const decoy = { salt: randomBytes(16), hash: randomBytes(32) };
  return {
    checkPassword(username, password) {
      if (typeof username !== 'string' || typeof password !== 'string') return null;
      const account = accounts.get(username);
      const { salt, hash } = account ?? decoy;
      const matches = timingSafeEqual(hashOf(password, salt), hash);
      return matches && account !== undefined ? asTwoFactorUser(account.user) : null;
    },
    directory: {
      subject: (actor, userId) => {
        const user = accounts.get(userId)?.user;
        return user !== undefined && isAdmin(actor) && actor.tenantId === ACCOUNT_ID
          ? asTwoFactorUser(user)
          : null;
      },
      users: async (actor, { cursor, limit }) => {
        if (!isAdmin(actor) || actor.tenantId !== ACCOUNT_ID) return { users: [], next: null };
        const all = [...accounts.keys()].filter((id) => cursor === undefined || id > cursor).sort();
        const page = all.slice(0, limit);
        return {
          users: page.map((id) => asTwoFactorUser(accounts.get(id)!.user)),
          next: all.length > limit ? (page.at(-1) ?? null) : null,
        };
      },
    },
  };
}
