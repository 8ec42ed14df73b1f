/**
 * @module
 * Memory-store primitives for user settings, "who has 2FA" summaries and credentials, including the
 * RFC 6238 §5.2 replay guard and the compare-and-set of sealed secrets. Arguments arrive checked (and
 * records copied) by `CheckedStore`.
 */

import type { Method } from '@secondfactor/core';
import type { CheckedPage, CheckedRecordOtpUseOptions } from './adapter/operations';
import { readFailureState } from './failures';
import { byString, conflict, type MemoryCore } from './memory-core';
import { out } from './memory-state';
import type { CredentialRecord, TwoFactorSummary, UserSettings } from './records';
import type {
  CredentialForVerification,
  CredentialForVerificationOptions,
  ReplaceCredentialSecretOptions,
} from './store-types';

// --- user settings -------------------------------------------------------------------------------

export async function getUserSettings(core: MemoryCore, userId: string): Promise<UserSettings | null> {
  await core.ready();
  const settings = core.state.settings.get(userId);
  return settings === undefined ? null : out(settings);
}

export async function putUserSettings(core: MemoryCore, settings: UserSettings): Promise<void> {
  await core.ready();
  core.state.settings.set(settings.userId, settings);
  await core.persist();
}

export async function listUserSettings(
  core: MemoryCore,
  tenantId: string,
  { after, limit }: CheckedPage,
): Promise<UserSettings[]> {
  await core.ready();
  return [...core.state.settings.values()]
    .filter((item) => item.tenantId === tenantId && (after === undefined || item.userId > after))
    .sort((a, b) => byString(a.userId, b.userId))
    .slice(0, limit)
    .map(out);
}

export async function getTwoFactorSummaries(
  core: MemoryCore,
  userIds: string[],
): Promise<TwoFactorSummary[]> {
  await core.ready();
  return userIds.map((userId) => {
    const credentials = credentialsOf(core, userId);
    const methods = [...new Set(credentials.map((item) => item.kind))].sort(byString) as Method[];
    const backupCodesRemaining = core.state.backupCodes.get(userId)?.digests.size ?? 0;
    return { userId, methods, credentials: credentials.length, backupCodesRemaining };
  });
}

// --- credentials ---------------------------------------------------------------------------------

function credentialsOf(core: MemoryCore, userId: string): CredentialRecord[] {
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

export async function getCredentialForVerification(
  core: MemoryCore,
  userId: string,
  credentialId: string,
  { now, failureKeys: keys }: CredentialForVerificationOptions,
): Promise<CredentialForVerification> {
  await core.ready();
  const credential = ownCredential(core, userId, credentialId);
  return {
    credential: credential === undefined ? null : out(credential),
    failures: keys.map((key) => readFailureState(core.state.failures.get(key) ?? null, now)),
  };
}

export async function recordOtpUse(
  core: MemoryCore,
  userId: string,
  credentialId: string,
  { step, now, driftSteps, ifSecret, unlessLocked, clearFailures }: CheckedRecordOtpUseOptions,
): Promise<boolean> {
  await core.ready();
  // From here to the write there is no `await`: the checks and the write are one step.
  const credential = ownCredential(core, userId, credentialId);
  if (credential === undefined) return false;
  // RFC 6238 §5.2 / RFC 4226 §7.2: only a step beyond the last accepted one may be used.
  if (credential.lastUsedStep !== undefined && step <= credential.lastUsedStep) return false;
  // A cached sealed secret is only good while it is still the stored one (not rotated or replaced).
  if (ifSecret !== undefined && credential.otp?.secretCiphertext !== ifSecret) return false;
  // E1: a locked counter refuses even the right code.
  const failures = core.state.failures;
  if (unlessLocked.some((key) => readFailureState(failures.get(key) ?? null, now).lockedUntil !== null)) {
    return false;
  }
  credential.lastUsedStep = step;
  credential.lastUsedAt = now;
  if (driftSteps !== undefined) credential.driftSteps = driftSteps;
  // E6: the counters of the factor used are reset in the same step as the success, and only by it.
  for (const key of clearFailures) failures.delete(key);
  await core.persist();
  return true;
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
