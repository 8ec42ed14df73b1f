/**
 * @module
 * Memory-store primitives for credentials and the compare-and-set of sealed secrets (key rotation), and
 * the lookups of a user's credentials the other primitives share.
 */

import { addressHolderOf } from '../../adapter/address-holder';
import type { CheckedAddressHolderQuery, CheckedPage } from '../../adapter/operations';
import type { CredentialRecord } from '../../records';
import type { AddressHolder, ReplaceCredentialSecretOptions } from '../../store-types';
import { byString, conflict, type MemoryCore } from '../core';
import { out } from '../state';

/** Every credential of `userId`, in no particular order. */
export function credentialsOf(core: MemoryCore, userId: string): CredentialRecord[] {
  return [...core.state.credentials.values()].filter((item) => item.userId === userId);
}

/** The credential, only if it belongs to `userId`. */
export function ownCredential(
  core: MemoryCore,
  userId: string,
  credentialId: string,
): CredentialRecord | undefined {
  const credential = core.state.credentials.get(credentialId);
  // H3: a record of another user reads exactly like a missing one.
  return credential?.userId === userId ? credential : undefined;
}

export async function addCredential(core: MemoryCore, credential: CredentialRecord): Promise<void> {
  await core.ready();
  if (core.state.credentials.has(credential.id)) conflict('credential.id');
  core.state.credentials.set(credential.id, credential);
  await core.persist();
}

export async function getCredential(
  core: MemoryCore,
  userId: string,
  credentialId: string,
): Promise<CredentialRecord | null> {
  await core.ready();
  const credential = ownCredential(core, userId, credentialId);
  return credential === undefined ? null : out(credential);
}

export async function listCredentials(core: MemoryCore, userId: string): Promise<CredentialRecord[]> {
  await core.ready();
  return credentialsOf(core, userId)
    .sort((a, b) => a.createdAt - b.createdAt || byString(a.id, b.id))
    .map(out);
}

export async function deleteCredential(
  core: MemoryCore,
  userId: string,
  credentialId: string,
): Promise<boolean> {
  await core.ready();
  if (ownCredential(core, userId, credentialId) === undefined) return false;
  core.state.credentials.delete(credentialId);
  await core.persist();
  return true;
}

export async function renameCredential(
  core: MemoryCore,
  userId: string,
  credentialId: string,
  label: string,
): Promise<boolean> {
  await core.ready();
  const credential = ownCredential(core, userId, credentialId);
  if (credential === undefined) return false;
  // The label only: the secret, last used step and drift stay (renameCredential in the contract).
  credential.label = label;
  await core.persist();
  return true;
}

export async function switchCredential(
  core: MemoryCore,
  userId: string,
  credentialId: string,
  switchedOffAt: number | null,
): Promise<boolean> {
  await core.ready();
  const credential = ownCredential(core, userId, credentialId);
  if (credential === undefined) return false;
  // The switch only: the secret, label, last used step and drift stay (switchCredential in the contract).
  if (switchedOffAt === null) delete credential.switchedOffAt;
  else credential.switchedOffAt = switchedOffAt;
  await core.persist();
  return true;
}

export async function listAddressHolders(
  core: MemoryCore,
  { tenantId, address, limit }: CheckedAddressHolderQuery,
): Promise<AddressHolder[]> {
  await core.ready();
  // A tenant's query sees that tenant's credentials only; a query without one, only tenant-less ones.
  return [...core.state.credentials.values()]
    .filter((item) => item.address === address && item.tenantId === tenantId)
    .sort((a, b) => byString(a.userId, b.userId) || byString(a.id, b.id))
    .slice(0, limit)
    .map(addressHolderOf);
}

export async function replaceCredentialSecret(
  core: MemoryCore,
  userId: string,
  credentialId: string,
  { expected, next }: ReplaceCredentialSecretOptions,
): Promise<boolean> {
  await core.ready();
  const otp = ownCredential(core, userId, credentialId)?.otp;
  if (otp === undefined || otp.secretCiphertext !== expected) return false;
  otp.secretCiphertext = next;
  await core.persist();
  return true;
}

export async function listOtpCredentials(
  core: MemoryCore,
  { after, limit }: CheckedPage,
): Promise<CredentialRecord[]> {
  await core.ready();
  return [...core.state.credentials.values()]
    .filter((item) => item.otp !== undefined && (after === undefined || item.id > after))
    .sort((a, b) => byString(a.id, b.id))
    .slice(0, limit)
    .map(out);
}
