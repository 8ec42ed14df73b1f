/**
 * @module
 * Key names. Every key lies under one hash tag, and the tag decides the Redis Cluster slot: all keys of
 * one user share `{u:<user>}`, and each structure that spans users has a tag of its own. A script is
 * given the base of its slot as `KEYS[1]` and names the keys under that base itself; only on a single
 * node does it also get the prefix, to maintain structures of other slots in the same step. The Lua
 * functions that build names from the prefix (`scripts/preamble.ts`) mirror {@link keyNames}; the key
 * layout tests check that both write the same keys.
 */

import { createHash } from 'node:crypto';

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
  /** `P{addr:<tag>}`: the credentials holding one address in one tenant, as `<user> <id>` ({@link addressTag}). */
  addressIndex(tag: string): string;
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
    addressIndex: (tag) => `${prefix}{addr:${tag}}`,
    audit: `${prefix}{audit}:`,
  };
}

/** A member of the `{otp}:credentials` index: id first, so the index pages by id. */
export const otpMember = (idPart: string, userPart: string): string => `${idPart} ${userPart}`;

/**
 * The tag of the address index of `address` in a tenant: `<tenant>:<SHA-256 of the address, hex>`, and
 * `:<hash>` for credentials without a tenant (an escaped tenant id is never empty and holds no `:`, so
 * the two never meet). The key name carries the hash, never the address (a phone number, an e-mail
 * address). `''` for a credential without an address: it is in no address index.
 */
export function addressTag(tenantPart: string | undefined, address: string | undefined): string {
  if (address === undefined) return '';
  const hash = createHash('sha256').update(address, 'utf8').digest('hex');
  return `${tenantPart ?? ''}:${hash}`;
}

/** A member of an address index: user first, then credential id, so the index pages in that order. */
export const holderMember = (userPart: string, idPart: string): string => `${userPart} ${idPart}`;
