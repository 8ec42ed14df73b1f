/**
 * @module
 * Credentials: insert, read, list, delete, switch, the sealed-secret compare-and-set of key rotation,
 * the list of credentials with a sealed secret that rotation walks, and the address indexes that answer
 * who holds an address. Those indexes, `P{otp}:credentials` and `P{addr:<tag>}`, span users: on a single
 * node the credential scripts write them in their own step; on a cluster an entry is added before its
 * credential is written and removed after it is deleted, and a listing fetches each credential from its
 * user's slot and skips entries whose credential is gone (or, for an address, holds another one), so a
 * failed step leaves an entry that is never listed, never a credential a listing misses. A rename and a
 * switch write a field of their own, in the user's slot. The replay guard is in `verification.ts`.
 */
import type { AddressHolder, CredentialRecord, ReplaceCredentialSecretOptions } from '@secondfactor/store';
import {
  addressHolderOf,
  type CheckedAddressHolderQuery,
  type CheckedPage,
} from '@secondfactor/store/adapter';
import { credentialJson, decodeCredential, type Field, optional } from '../codec';
import { keyPart } from '../key-part';
import { addressTag, holderMember, otpMember } from '../keys';
import { conflict, type OpContext, withRoot } from './context';
import { claimId, releaseIds } from './id-claims';

/** A credential a script removed: its escaped id and the tag of its address index ('' = none). */
export interface RemovedCredential {
  id: string;
  tag: string;
}

/** The tag of the address index a credential or pending enrollment is listed in ('' = none). */
export const tagOf = (record: { tenantId?: string | undefined; address?: string | undefined }): string =>
  addressTag(record.tenantId === undefined ? undefined : keyPart(record.tenantId), record.address);

/**
 * Cluster: the cross-user index entries of a credential about to be written, before it is: the otp
 * list (with a sealed secret) and its address index (with an address). An entry whose credential is then
 * not written (a conflict, a failed step) is skipped by every listing; it is not removed here, because
 * the same member may already stand for a credential of the same user and id that holds the address.
 */
export async function indexCredential(
  ctx: OpContext,
  id: string,
  user: string,
  secret: boolean,
  tag: string,
): Promise<void> {
  await Promise.all([
    secret ? ctx.run('indexWrite', [ctx.key.otpIndex], ['add', otpMember(id, user)]) : undefined,
    tag === ''
      ? undefined
      : ctx.run('indexWrite', [ctx.key.addressIndex(tag)], ['add', holderMember(user, id)]),
  ]);
}

/** Inserts a credential; `conflict` if its id exists (for any user). */
export async function addCredential(ctx: OpContext, credential: CredentialRecord): Promise<void> {
  const { userId, kind, otp, createdAt, lastUsedStep, driftSteps, lastUsedAt, switchedOffAt } = credential;
  const [id, user] = [keyPart(credential.id), keyPart(userId)];
  const secret = optional(otp?.secretCiphertext);
  const tag = tagOf(credential);
  if (ctx.cluster) {
    await claimId(ctx, 'cred', id, user, 'credential.id');
    await indexCredential(ctx, id, user, secret !== '', tag);
  }
  const added = await ctx.run('addCredential', withRoot(ctx, ctx.key.user(user)), [
    id,
    user,
    credentialJson(credential),
    kind,
    secret,
    String(createdAt),
    optional(lastUsedStep),
    optional(driftSteps),
    optional(lastUsedAt),
    optional(switchedOffAt),
    tag,
  ]);
  if (added !== 1) throw conflict('credential.id');
}

/** The credential, only if it belongs to `userId`. */
export async function getCredential(
  ctx: OpContext,
  userId: string,
  credentialId: string,
): Promise<CredentialRecord | null> {
  const fields = (await ctx.run('getCredential', [ctx.key.user(keyPart(userId))], [keyPart(credentialId)])) as
    | Field[]
    | null;
  return fields === null ? null : decodeCredential(fields);
}

/** The user's credentials by creation time, then id. */
export async function listCredentials(ctx: OpContext, userId: string): Promise<CredentialRecord[]> {
  const rows = (await ctx.run('listCredentials', [ctx.key.user(keyPart(userId))], [])) as Field[][];
  return rows.map(decodeCredential);
}

/** Removes one credential of the user; false if there was none. */
export async function deleteCredential(
  ctx: OpContext,
  userId: string,
  credentialId: string,
): Promise<boolean> {
  const [user, id] = [keyPart(userId), keyPart(credentialId)];
  const [removed, tag = ''] = (await ctx.run('deleteCredential', withRoot(ctx, ctx.key.user(user)), [
    user,
    id,
  ])) as [number, string?];
  if (removed === 1 && ctx.cluster) await releaseCredentials(ctx, [{ id, tag }], user);
  return removed === 1;
}

/** Changes the label of one credential of the user; false if the user has none with this id. */
export async function renameCredential(
  ctx: OpContext,
  userId: string,
  credentialId: string,
  label: string,
): Promise<boolean> {
  const base = ctx.key.user(keyPart(userId));
  return (await ctx.run('renameCredential', [base], [keyPart(credentialId), label])) === 1;
}

/** Switches one credential of the user off (a time) or on (`null`); false if the user has none with this id. */
export async function switchCredential(
  ctx: OpContext,
  userId: string,
  credentialId: string,
  switchedOffAt: number | null,
): Promise<boolean> {
  const base = ctx.key.user(keyPart(userId));
  const args = [keyPart(credentialId), switchedOffAt === null ? '' : String(switchedOffAt)];
  return (await ctx.run('switchCredential', [base], args)) === 1;
}

/**
 * Cluster: the otp index entries, address index entries and id claims of removed credentials, after
 * their removal.
 */
export async function releaseCredentials(
  ctx: OpContext,
  removed: readonly RemovedCredential[],
  user: string,
): Promise<void> {
  if (removed.length === 0) return;
  const ids = removed.map((item) => item.id);
  await Promise.all([
    ctx.run('indexWrite', [ctx.key.otpIndex], ['remove', ...ids.map((id) => otpMember(id, user))]),
    ...removed
      .filter((item) => item.tag !== '')
      .map((item) =>
        ctx.run('indexWrite', [ctx.key.addressIndex(item.tag)], ['remove', holderMember(user, item.id)]),
      ),
    releaseIds(ctx, 'cred', ids, user),
  ]);
}

/**
 * The credentials of one tenant (or the tenant-less ones) holding exactly `address`, by user id then id.
 * The index is a hint and the credential the truth: an entry counts only while its credential is there
 * and holds this address in this tenant. On a single node one script reads the index and the
 * credentials and removes stale entries in the same step; on a cluster the index is paged and each
 * credential read from its user's slot, and a stale entry is skipped but left in place (see the README:
 * removing it from another step could remove the entry of a credential being added).
 */
export async function listAddressHolders(
  ctx: OpContext,
  { tenantId, address, limit }: CheckedAddressHolderQuery,
): Promise<AddressHolder[]> {
  const tag = tagOf({ tenantId, address });
  const index = ctx.key.addressIndex(tag);
  const holds = (credential: CredentialRecord | null): credential is CredentialRecord =>
    credential !== null && credential.address === address && credential.tenantId === tenantId;
  if (!ctx.cluster) {
    const rows = (await ctx.run('listAddressHolders', [index, ctx.key.root], [tag, String(limit)])) as [
      string,
      Field[],
    ][];
    return rows
      .map(([, fields]) => decodeCredential(fields))
      .filter(holds)
      .map(addressHolderOf);
  }
  const found: AddressHolder[] = [];
  let from = '-';
  for (;;) {
    const members = (await ctx.run('indexPage', [index], [from, String(limit)])) as string[];
    const credentials = await Promise.all(
      members.map(async (member) => {
        const [user = '', id = ''] = member.split(' ');
        const fields = (await ctx.run('getCredential', [ctx.key.user(user)], [id])) as Field[] | null;
        return fields === null ? null : decodeCredential(fields);
      }),
    );
    for (const credential of credentials) {
      if (holds(credential) && found.length < limit) found.push(addressHolderOf(credential));
    }
    const last = members[members.length - 1];
    if (found.length === limit || members.length < limit || last === undefined) return found;
    from = `(${last}`;
  }
}

/** Compare-and-set of the sealed secret. */
export async function replaceCredentialSecret(
  ctx: OpContext,
  userId: string,
  credentialId: string,
  { expected, next }: ReplaceCredentialSecretOptions,
): Promise<boolean> {
  const base = ctx.key.user(keyPart(userId));
  return (await ctx.run('replaceCredentialSecret', [base], [keyPart(credentialId), expected, next])) === 1;
}

/** Credentials with a sealed secret, by id, a page at a time. */
export async function listOtpCredentials(
  ctx: OpContext,
  { after, limit }: CheckedPage,
): Promise<CredentialRecord[]> {
  // Members are `<id> <user>`; '!' sorts below every character of an escaped id and above the space.
  let from = after === undefined ? '-' : `[${keyPart(after)}!`;
  if (!ctx.cluster) {
    const keys = [ctx.key.otpIndex, ctx.key.root];
    const rows = (await ctx.run('listOtpCredentials', keys, [from, String(limit)])) as Field[][];
    return rows.map(decodeCredential);
  }
  const found: CredentialRecord[] = [];
  for (;;) {
    const members = (await ctx.run('indexPage', [ctx.key.otpIndex], [from, String(limit)])) as string[];
    const rows = await Promise.all(
      members.map((member) => {
        const [id = '', user = ''] = member.split(' ');
        return ctx.run('getCredential', [ctx.key.user(user)], [id]) as Promise<Field[] | null>;
      }),
    );
    for (const fields of rows) {
      // Gone (deleted, or never written by a failed step) or without a secret: not listed.
      if (fields != null && fields[1] != null && found.length < limit) found.push(decodeCredential(fields));
    }
    const last = members[members.length - 1];
    if (found.length === limit || members.length < limit || last === undefined) return found;
    from = `(${last}`;
  }
}
