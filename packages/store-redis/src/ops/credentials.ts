/**
 * @module
 * Credentials: insert, read, list, delete, the sealed-secret compare-and-set of key rotation, and the
 * list of credentials with a sealed secret that rotation walks. That list, `P{otp}:credentials`, spans
 * users: on a single node the credential scripts write it in their own step; on a cluster an entry is
 * added before its credential is written and removed after it is deleted, and a listing fetches each
 * credential from its user's slot and skips entries whose credential is gone, so a failed step leaves
 * an entry that is never listed, never a credential that rotation misses. A rename writes the label
 * into a field of its own, in the user's slot. The replay guard is in `verification.ts`.
 */
import type { CredentialRecord, ReplaceCredentialSecretOptions } from '@secondfactor/store';
import type { CheckedPage } from '@secondfactor/store/adapter';
import { credentialJson, decodeCredential, type Field, optional } from '../codec';
import { keyPart } from '../key-part';
import { otpMember } from '../keys';
import { conflict, type OpContext, withRoot } from './context';
import { claimId, releaseIds } from './id-claims';

/** Inserts a credential; `conflict` if its id exists (for any user). */
export async function addCredential(ctx: OpContext, credential: CredentialRecord): Promise<void> {
  const { userId, kind, otp, createdAt, lastUsedStep, driftSteps, lastUsedAt } = credential;
  const [id, user] = [keyPart(credential.id), keyPart(userId)];
  const secret = optional(otp?.secretCiphertext);
  if (ctx.cluster) {
    await claimId(ctx, 'cred', id, user, 'credential.id');
    if (secret !== '') await ctx.run('indexWrite', [ctx.key.otpIndex], ['add', otpMember(id, user)]);
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
  const removed = (await ctx.run('deleteCredential', withRoot(ctx, ctx.key.user(user)), [user, id])) === 1;
  if (removed && ctx.cluster) await releaseCredentials(ctx, [id], user);
  return removed;
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

/** Cluster: the otp index entries and id claims of removed credentials, after their removal. */
export async function releaseCredentials(
  ctx: OpContext,
  ids: readonly string[],
  user: string,
): Promise<void> {
  if (ids.length === 0) return;
  await Promise.all([
    ctx.run('indexWrite', [ctx.key.otpIndex], ['remove', ...ids.map((id) => otpMember(id, user))]),
    releaseIds(ctx, 'cred', ids, user),
  ]);
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
