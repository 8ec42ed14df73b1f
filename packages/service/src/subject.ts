/**
 * @module
 * The facts the policy needs about a user, read from the store: his "Use 2FA" switch, his confirmed
 * devices and his backup codes. The host names the user (`{ id, roles, tenantId }`); everything else
 * comes from here, so a request can never bring its own facts (checklist K1, I6).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { isMethod } from '@secondfactor/core';
import type { Actor, PolicyContext, Subject } from '@secondfactor/policy';
import {
  assertId,
  assertTime,
  type BackupCodeSet,
  type CredentialRecord,
  type SecondFactorStore,
  type UserSettings,
} from '@secondfactor/store';
import { invalidArgument } from './errors';
import type { ServiceContext } from './options';

/**
 * A user as the host knows him: his id, roles (`[]` for none) and, in a multi-tenant policy, his tenant.
 * The user's 2FA facts are never passed in: the service reads them from the store.
 *
 * @example
 * ```ts
 * import type { TwoFactorUser } from '@secondfactor/service';
 *
 * const user: TwoFactorUser = { id: 'user-42', roles: ['admin'], tenantId: 'acme' };
 * ```
 */
export type TwoFactorUser = Omit<Subject, 'settings'>;

/** A subject with his facts, and what they were read from. @internal */
export interface LoadedSubject {
  subject: Subject;
  /** The devices switched on: what a login offers and the policy counts. */
  credentials: CredentialRecord[];
  /** Every device, those switched off (verified, kept, unused) included. */
  all: CredentialRecord[];
  /** The stored settings record, `null` when the user has none yet. */
  stored: UserSettings | null;
  backupCodes: BackupCodeSet | null;
}

/** Checks the host's user object as far as the service relies on it; the policy checks the rest. @internal */
export function checkUser(name: string, user: unknown): TwoFactorUser {
  if (typeof user !== 'object' || user === null) throw invalidArgument(name, 'must be an object');
  const { id, roles, tenantId } = user as Record<string, unknown>;
  assertId(`${name}.id`, id);
  if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) {
    throw invalidArgument(`${name}.roles`, 'must be an array of role names ([] for none)');
  }
  if (tenantId !== undefined) assertId(`${name}.tenantId`, tenantId);
  return { id, roles: roles as string[], ...(tenantId === undefined ? {} : { tenantId }) };
}

/**
 * Checks the actor object and the shape of his proofs (`reauthenticatedAt`: a time or `null`;
 * `secondFactor`: `{ at, method }` or `null`), also for the calls that ask the policy nothing; the policy
 * judges whether the proofs are recent enough. @internal
 */
export function checkActor(actor: unknown): Actor {
  const user = checkUser('actor', actor);
  const { reauthenticatedAt, secondFactor } = actor as Record<string, unknown>;
  if (reauthenticatedAt !== null) assertTime('actor.reauthenticatedAt', reauthenticatedAt);
  if (secondFactor !== null) {
    if (typeof secondFactor !== 'object') {
      throw invalidArgument('actor.secondFactor', 'must be { at, method } or null');
    }
    const { at, method } = secondFactor as Record<string, unknown>;
    assertTime('actor.secondFactor.at', at);
    if (!isMethod(method)) throw invalidArgument('actor.secondFactor.method', 'must be a method name');
    if (Object.keys(secondFactor).some((key) => key !== 'at' && key !== 'method')) {
      throw invalidArgument('actor.secondFactor', 'must be { at, method } and nothing else');
    }
  }
  return {
    ...user,
    reauthenticatedAt: reauthenticatedAt as number | null,
    secondFactor: secondFactor as Actor['secondFactor'],
  };
}

/**
 * For the calls that ask the policy nothing but write the user's tenant: a tenant under a single-tenant
 * policy is refused, as the policy's own questions refuse it. @internal
 */
export function checkTenancy(ctx: ServiceContext, name: string, user: TwoFactorUser): void {
  if (ctx.policy.settings.tenancy === 'single' && user.tenantId !== undefined) {
    throw invalidArgument(`${name}.tenantId`, 'must be absent: the policy has a single tenant');
  }
}

/**
 * For the calls that ask the policy nothing: the actor's proofs cannot be later than `now`, as the
 * policy's own questions refuse them. @internal
 */
export function checkProofsAt(actor: Actor, now: number): void {
  if (actor.reauthenticatedAt !== null && actor.reauthenticatedAt > now) {
    throw invalidArgument('actor.reauthenticatedAt', 'must not be later than now');
  }
  if (actor.secondFactor !== null && actor.secondFactor.at > now) {
    throw invalidArgument('actor.secondFactor.at', 'must not be later than now');
  }
}

/** The subject's facts, as the store has them now. @internal */
export async function loadSubject(store: SecondFactorStore, user: TwoFactorUser): Promise<LoadedSubject> {
  const [settings, all, backupCodes] = await Promise.all([
    store.getUserSettings(user.id),
    store.listCredentials(user.id),
    store.getBackupCodeSet(user.id),
  ]);
  const credentials = all.filter((credential) => credential.switchedOffAt === undefined);
  const devices = credentials.map((credential) => ({ method: credential.kind, id: credential.id }));
  const resetAt = settings?.enrollmentResetAt;
  return {
    credentials,
    all,
    stored: settings,
    backupCodes,
    subject: {
      id: user.id,
      roles: user.roles,
      ...(user.tenantId === undefined ? {} : { tenantId: user.tenantId }),
      settings: {
        useTwoFactor: settings?.useTwoFactor ?? null,
        mayToggle: settings?.mayToggle ?? null,
        // Confirmed devices are what "active" means (H1). After a reset, only a device set up since
        // counts: until then the user is due to set up again (`reset`), even where a reset was cut
        // short and left older devices behind.
        enrollment:
          resetAt === undefined
            ? devices.length > 0
              ? 'active'
              : 'none'
            : credentials.some((credential) => credential.createdAt >= resetAt)
              ? 'active'
              : 'reset',
        devices,
        backupCodesRemaining: backupCodes?.remaining ?? 0,
        graceStartedAt: settings?.graceStartedAt ?? null,
      },
    },
  };
}

/** The policy's context at `now`, with the tenant's features when the policy names features. @internal */
export async function policyContext(
  ctx: ServiceContext,
  user: TwoFactorUser,
  now: number,
): Promise<PolicyContext> {
  if (!ctx.policy.settings.usesFeatures || ctx.tenantFeatures === undefined) return { now };
  const features = await ctx.tenantFeatures(user.tenantId);
  return { now, tenantFeatures: [...features] };
}

const MAX_KEY = 255;

/**
 * An attempt-counter key: `prefix:id`, or `prefix#sha256(id)` when that would pass the store's id limit
 * (the `#` form cannot collide with a `:` form). @internal
 */
function counterKey(prefix: string, id: string): string {
  const plain = `${prefix}:${id}`;
  if (plain.length <= MAX_KEY) return plain;
  return `${prefix}#${bytesToHex(sha256(new TextEncoder().encode(id)))}`;
}

/** The user's counter: every second-factor failure counts here, whatever the method (E2, E5, F10). @internal */
export const userFailureKey = (userId: string): string => counterKey('user', userId);

/** A credential's counter, beside the user's (per user and per credential). @internal */
export const credentialFailureKey = (credentialId: string): string => counterKey('cred', credentialId);
