/**
 * @module
 * Credentials: insert, read, list, delete and the sealed-secret compare-and-set used by key rotation.
 * The replay guard is in `verification.ts`.
 */
import type { CredentialRecord, ReplaceCredentialSecretOptions } from '@secondfactor/store';
import type { CheckedPage } from '@secondfactor/store/adapter';
import { credentialJson, decodeCredential, type Field, optional } from '../codec';
import { keyPart } from '../key-part';
import { conflict, type OpContext } from './context';

/** Inserts a credential; `conflict` if its id exists (for any user). */
export async function addCredential(ctx: OpContext, credential: CredentialRecord): Promise<void> {
  const { id, userId, kind, otp, createdAt, lastUsedStep, driftSteps, lastUsedAt } = credential;
  const added = await ctx.run('addCredential', [
    keyPart(id),
    keyPart(userId),
    credentialJson(credential),
    kind,
    optional(otp?.secretCiphertext),
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
  const fields = (await ctx.run('getCredential', [keyPart(userId), keyPart(credentialId)])) as Field[] | null;
  return fields === null ? null : decodeCredential(fields);
}

/** The user's credentials by creation time, then id. */
export async function listCredentials(ctx: OpContext, userId: string): Promise<CredentialRecord[]> {
  const rows = (await ctx.run('listCredentials', [keyPart(userId)])) as Field[][];
  return rows.map(decodeCredential);
}

/** Removes one credential of the user; false if there was none. */
export async function deleteCredential(
  ctx: OpContext,
  userId: string,
  credentialId: string,
): Promise<boolean> {
  return (await ctx.run('deleteCredential', [keyPart(userId), keyPart(credentialId)])) === 1;
}

/** Compare-and-set of the sealed secret. */
export async function replaceCredentialSecret(
  ctx: OpContext,
  userId: string,
  credentialId: string,
  { expected, next }: ReplaceCredentialSecretOptions,
): Promise<boolean> {
  const args = [keyPart(userId), keyPart(credentialId), expected, next];
  return (await ctx.run('replaceCredentialSecret', args)) === 1;
}

/** Credentials with a sealed secret, by id, a page at a time. */
export async function listOtpCredentials(
  ctx: OpContext,
  { after, limit }: CheckedPage,
): Promise<CredentialRecord[]> {
  const from = after === undefined ? '' : keyPart(after);
  const rows = (await ctx.run('listOtpCredentials', [from, String(limit)])) as Field[][];
  return rows.map(decodeCredential);
}
