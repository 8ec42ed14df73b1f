/**
 * @module
 * The two halves of a TOTP/HOTP verification, one script each: the credential read together with the
 * attempt counters that may lock it out, and the RFC 6238 §5.2 replay guard that also resets the
 * counters of the factor used (checklist E6). A successful verification costs two round trips, or one
 * when the service caches the sealed credential and the guard checks the secret and the locks itself.
 */
import type { CredentialForVerification, CredentialForVerificationOptions } from '@secondfactor/store';
import type { CheckedRecordOtpUseOptions } from '@secondfactor/store/adapter';
import { decodeCredential, type Field, optional } from '../codec';
import { keyPart } from '../key-part';
import type { OpContext } from './context';
import { failureState } from './failures';

/** The credential of `userId` and the state of each failure key at `now`, from one state of the server. */
export async function getCredentialForVerification(
  ctx: OpContext,
  userId: string,
  credentialId: string,
  { now, failureKeys }: CredentialForVerificationOptions,
): Promise<CredentialForVerification> {
  const keys = failureKeys.map(keyPart);
  const [fields, ...counters] = (await ctx.run('getCredentialForVerification', [
    keyPart(userId),
    keyPart(credentialId),
    ...keys,
  ])) as [Field[] | null, ...Field[][]];
  return {
    credential: fields == null ? null : decodeCredential(fields),
    // One answer per key asked, in order: a repeated key is answered again.
    failures: keys.map((_, index) => failureState(counters[index] ?? [], now)),
  };
}

/**
 * Records `step` if and only if it is beyond the last recorded step, the sealed secret is `ifSecret` (when
 * given) and no `unlessLocked` key is locked at `now`; only then clears `clearFailures`. One script.
 */
export async function recordOtpUse(
  ctx: OpContext,
  userId: string,
  credentialId: string,
  { step, now, driftSteps, ifSecret, unlessLocked, clearFailures }: CheckedRecordOtpUseOptions,
): Promise<boolean> {
  const args = [
    keyPart(userId),
    keyPart(credentialId),
    String(step),
    String(now),
    optional(driftSteps),
    optional(ifSecret),
    String(unlessLocked.length),
    ...unlessLocked.map(keyPart),
    ...clearFailures.map(keyPart),
  ];
  return (await ctx.run('recordOtpUse', args)) === 1;
}
