/**
 * @module
 * Key names. Every key lies under one hash tag, and the tag decides the Redis Cluster slot: all keys of
 * one user share `{u:<user>}`, and each structure that spans users has a tag of its own. A script is
 * given the base of its slot as `KEYS[1]` and names the keys under that base itself; only on a single
 * node does it also get the prefix, to maintain structures of other slots in the same step. The Lua
 * functions that build names from the prefix (`scripts/preamble.ts`) mirror {@link keyNames}; the key
 * layout tests check that both write the same keys.
 */

/** The kinds of record whose ids are unique across users. Pending enrollments share `cred` (confirmation keeps the id). */
export type IdKind = 'cred' | 'challenge' | 'device';

/** Every key name the adapter sends, from the prefix and ids already escaped with `keyPart`. */
export interface KeyNames {
  /** The prefix itself: `KEYS[2]` of a script that also writes other slots (single node only). */
  readonly root: string;
  /** `P{u:<user>}:`, base of the user's keys (settings, credentials, challenges, session epoch, …). */
  user(userPart: string): string;
  /** `P{t:<tenant>}:`, base of the tenant's user index and audit index. */
  tenant(tenantPart: string): string;
  /** `P{f:<key>}`: one attempt counter. */
  counter(keyPart: string): string;
  /** `P{id:<kind>:<id>}`: which user holds a record id. */
  idClaim(kind: IdKind, idPart: string): string;
  /** `P{otp}:credentials`: every credential with a sealed secret, as `<id> <user>`. */
  readonly otpIndex: string;
  /** `P{audit}:`, base of the log of all events (and of the sequence that orders them). */
  readonly audit: string;
}

/** The key names under `prefix`. */
export function keyNames(prefix: string): KeyNames {
  return {
    root: prefix,
    user: (userPart) => `${prefix}{u:${userPart}}:`,
    tenant: (tenantPart) => `${prefix}{t:${tenantPart}}:`,
    counter: (keyPart) => `${prefix}{f:${keyPart}}`,
    idClaim: (kind, idPart) => `${prefix}{id:${kind}:${idPart}}`,
    otpIndex: `${prefix}{otp}:credentials`,
    audit: `${prefix}{audit}:`,
  };
}

/** A member of the `{otp}:credentials` index: id first, so the index pages by id. */
export const otpMember = (idPart: string, userPart: string): string => `${idPart} ${userPart}`;
