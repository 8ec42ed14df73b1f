/**
 * @module
 * Before/after values of a policy change, for the audit record the service writes (checklist K6).
 * The engine computes the record; storing and logging it is the service's job.
 */

import type { PolicyConfig } from './config';
import type { Actor } from './inputs';

/**
 * One changed field. Lists (methods, roles) are compared and reported whole.
 *
 * @example
 * ```ts
 * import { diffPolicy, selfService, type PolicyChange } from '@secondfactor/policy';
 *
 * const changes: PolicyChange[] = diffPolicy(selfService, { ...selfService, attempts: { maxFailures: 3 } });
 * changes[0]?.path; // 'attempts.maxFailures'
 * ```
 */
export interface PolicyChange {
  /** Dotted path (`attempts.maxFailures`). */
  path: string;
  /** `undefined` when the field was absent. */
  before: unknown;
  /** `undefined` when the field was removed. */
  after: unknown;
}

const isPlain = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON with sorted keys, so `{ a, b }` and `{ b, a }` inside a list compare equal. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    isPlain(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  ) ?? 'undefined';

const same = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

function walk(before: unknown, after: unknown, path: string, out: PolicyChange[]): void {
  if (isPlain(before) && isPlain(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) walk(before[key], after[key], path === '' ? key : `${path}.${key}`, out);
    return;
  }
  if (!same(before, after)) out.push({ path, before, after });
}

/**
 * The fields that differ between two configurations, sorted by path. Absent and `undefined` fields are
 * the same; nested objects are walked, lists are compared whole.
 *
 * @example
 * ```ts
 * import { diffPolicy, selfService } from '@secondfactor/policy';
 *
 * diffPolicy(selfService, { ...selfService, attempts: { maxFailures: 3 } });
 * // [{ path: 'attempts.maxFailures', before: 5, after: 3 }]
 * ```
 */
export function diffPolicy(before: PolicyConfig, after: PolicyConfig): PolicyChange[] {
  const out: PolicyChange[] = [];
  walk(before, after, '', out);
  return out;
}

/**
 * The audit record of one policy change.
 *
 * @example
 * ```ts
 * import { policyChangeRecord, selfService, type PolicyChangeRecord } from '@secondfactor/policy';
 *
 * const after = { ...selfService, attempts: { maxFailures: 3 } };
 * const record: PolicyChangeRecord = policyChangeRecord({ actor: admin, before: selfService, after, at: clock() });
 * record.changes; // [{ path: 'attempts.maxFailures', before: 5, after: 3 }]
 * ```
 */
export interface PolicyChangeRecord {
  type: 'policy_changed';
  /** Who changed it. */
  actorId: string;
  /** The actor's tenant: the tenant whose policy changed (as `AuditEvent.tenantId` of the store). */
  tenantId?: string | undefined;
  /** Name of the policy (the new one's, or the old one's when the new has none). */
  policy?: string | undefined;
  /** When (milliseconds since the epoch). */
  at: number;
  changes: PolicyChange[];
}

/**
 * The audit record for a policy change by `actor` at `at`; `changes` is {@link diffPolicy}.
 * Policies hold no secrets, so the record may be logged as is.
 *
 * @example
 * ```ts
 * import { policyChangeRecord, selfService } from '@secondfactor/policy';
 *
 * const after = { ...selfService, attempts: { maxFailures: 3 } };
 * const record = policyChangeRecord({ actor: admin, before: selfService, after, at: clock() });
 * auditLog.write(record); // the service's job
 * ```
 */
export function policyChangeRecord(change: {
  actor: Actor;
  before: PolicyConfig;
  after: PolicyConfig;
  at: number;
}): PolicyChangeRecord {
  const { actor, before, after, at } = change;
  const policy = after.name ?? before.name;
  return {
    type: 'policy_changed',
    actorId: actor.id,
    ...(actor.tenantId === undefined ? {} : { tenantId: actor.tenantId }),
    ...(policy === undefined ? {} : { policy }),
    at,
    changes: diffPolicy(before, after),
  };
}

/**
 * The audit record of a change to a tenant's 2FA settings (`canConfigureTenant`): which tenant features
 * an administrator switched on and off (e.g. `2fa_totp`, `2fa_email`). Feature names only: the host's
 * delivery settings (an SMTP password) never enter the record.
 *
 * @example
 * ```ts
 * import { tenantFeaturesChangeRecord, type TenantFeaturesChangeRecord } from '@secondfactor/policy';
 *
 * const record: TenantFeaturesChangeRecord = tenantFeaturesChangeRecord({
 *   actor: admin,
 *   tenantId: 'acme',
 *   before: ['partner', '2fa_totp'],
 *   after: ['partner', '2fa_email'],
 *   at: clock(),
 * });
 * record.added; // ['2fa_email']
 * record.removed; // ['2fa_totp']
 * ```
 */
export interface TenantFeaturesChangeRecord {
  type: 'tenant_features_changed';
  /** Who changed them. */
  actorId: string;
  /** The tenant whose settings changed; absent in a single-tenant policy. */
  tenantId?: string | undefined;
  /** When (milliseconds since the epoch). */
  at: number;
  /** Features switched on, sorted. */
  added: string[];
  /** Features switched off, sorted. */
  removed: string[];
}

/**
 * Builds the audit record of a tenant's feature change, ready for the store's `appendAudit` (as its `data`).
 *
 * @example
 * ```ts
 * import { tenantFeaturesChangeRecord } from '@secondfactor/policy';
 *
 * tenantFeaturesChangeRecord({
 *   actor: admin,
 *   tenantId: 'acme',
 *   before: ['partner', '2fa_totp'],
 *   after: ['partner', '2fa_email', 'smtp'],
 *   at: Date.now(),
 * }); // { type: 'tenant_features_changed', added: ['2fa_email', 'smtp'], removed: ['2fa_totp'], ... }
 * ```
 */
export function tenantFeaturesChangeRecord(change: {
  actor: Actor;
  tenantId: string | undefined;
  before: readonly string[];
  after: readonly string[];
  at: number;
}): TenantFeaturesChangeRecord {
  const { actor, tenantId, before, after, at } = change;
  return {
    type: 'tenant_features_changed',
    actorId: actor.id,
    ...(tenantId === undefined ? {} : { tenantId }),
    at,
    added: [...new Set(after.filter((f) => !before.includes(f)))].sort(),
    removed: [...new Set(before.filter((f) => !after.includes(f)))].sort(),
  };
}
