/**
 * @module
 * The facts the policy needs about a user, read from the store: his "Use 2FA" switch, his confirmed
 * devices and his backup codes. The host names the user (`{ id, roles, tenantId }`); everything else
 * comes from here, so a request can never bring its own facts (checklist K1, I6).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Actor, PolicyContext, Subject } from '@secondfactor/policy';
import {
  assertId,
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
  credentials: CredentialRecord[];
  /** The stored settings record, `null` when the user has none yet. */
  stored: UserSettings | null;
  backupCodes: BackupCodeSet | null;
}

/** Checks the host's user object as far as the service relies on it; the policy checks the rest. @internal */
export function checkUser(name: string, user: unknown): TwoFactorUser {
  if (typeof user !== 'object' || user === null) throw invalidArgument(name, 'must be an object');
  const { id, roles, tenantId } = user as Record<string, unknown>;
  assertId(`${name}.id`, id);
  if (!Array.isArray(roles)) throw invalidArgument(`${name}.roles`, 'must be an array ([] for none)');
  if (tenantId !== undefined) assertId(`${name}.tenantId`, tenantId);
  return { id, roles: roles as string[], ...(tenantId === undefined ? {} : { tenantId }) };
}

/**
 * Checks the actor object as far as the service relies on it; the policy checks his proofs
 * (`reauthenticatedAt`, `secondFactor`) when it answers. @internal
 */
export function checkActor(actor: unknown): Actor {
  const user = checkUser('actor', actor);
  const { reauthenticatedAt, secondFactor } = actor as Actor;
  return { ...user, reauthenticatedAt, secondFactor };
}

/** The subject's facts, as the store has them now. @internal */
export async function loadSubject(store: SecondFactorStore, user: TwoFactorUser): Promise<LoadedSubject> {
  const [settings, credentials, backupCodes] = await Promise.all([
    store.getUserSettings(user.id),
    store.listCredentials(user.id),
    store.getBackupCodeSet(user.id),
  ]);
  const devices = credentials.map((credential) => ({ method: credential.kind, id: credential.id }));
  return {
    credentials,
    stored: settings,
    backupCodes,
    subject: {
      id: user.id,
      roles: user.roles,
      ...(user.tenantId === undefined ? {} : { tenantId: user.tenantId }),
      settings: {
        useTwoFactor: settings?.useTwoFactor ?? null,
        mayToggle: settings?.mayToggle ?? null,
        // The store keeps no enrollment state: confirmed devices are what "active" means (H1).
        enrollment: devices.length > 0 ? 'active' : 'none',
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
