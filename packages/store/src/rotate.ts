/**
 * @module
 * Key rotation over a whole store: every sealed secret not under the current key is re-sealed and
 * written back with a compare-and-set, so a concurrent change of the same credential is never lost.
 */
import { isSecondFactorError, SecondFactorError } from '@secondfactor/core';
import type { SecretBox } from './secret-box';
import type { SecondFactorStore } from './store';

/**
 * Options of {@link rotateStoreSecrets}.
 *
 * @example
 * ```ts
 * import { rotateStoreSecrets, type RotateStoreSecretsOptions } from '@secondfactor/store';
 *
 * const options: RotateStoreSecretsOptions = { batchSize: 500 };
 * await rotateStoreSecrets(store, box, options);
 * ```
 */
export interface RotateStoreSecretsOptions {
  /**
   * Credentials read per page.
   * @default 100
   */
  batchSize?: number | undefined;
}

/**
 * What {@link rotateStoreSecrets} did.
 *
 * @example
 * ```ts
 * import { rotateStoreSecrets, type RotateStoreSecretsResult } from '@secondfactor/store';
 *
 * const result: RotateStoreSecretsResult = await rotateStoreSecrets(store, box);
 * const done = result.failed === 0 && result.conflicts === 0 && result.rotated === 0;
 * ```
 */
export interface RotateStoreSecretsResult {
  /** Credentials with a sealed secret that were looked at. */
  scanned: number;
  /** Re-sealed under the current key and written back. */
  rotated: number;
  /** Already under the current key. */
  current: number;
  /** Changed by someone else between read and write (the compare-and-set refused); run again to finish. */
  conflicts: number;
  /** Could not be opened (unknown key, tampered, wrong binding); left as they are. */
  failed: number;
  /** Ids of the credentials counted in `failed` (ids only, never secret material). */
  failedIds: string[];
}

/**
 * Re-seals every credential secret that is not under `box.currentKeyId`. Safe to run while the service
 * is live and to run again: each write is `replaceCredentialSecret(userId, id, { expected: old, next: new })`. Remove a retired key
 * from the ring only after a run reports no `failed`, no `conflicts` and nothing left to rotate.
 *
 * @example
 * ```ts
 * import { MemoryStore, SecretBox, rotateStoreSecrets } from '@secondfactor/store';
 *
 * const box = new SecretBox({ keys: { old: oldKey, new: newKey }, currentKeyId: 'new' });
 * const result = await rotateStoreSecrets(store, box, { batchSize: 500 });
 * // { scanned: 1200, rotated: 1187, current: 13, conflicts: 0, failed: 0, failedIds: [] }
 * ```
 */
export async function rotateStoreSecrets(
  store: SecondFactorStore,
  box: SecretBox,
  options: RotateStoreSecretsOptions = {},
): Promise<RotateStoreSecretsResult> {
  const limit = options.batchSize ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new SecondFactorError('invalid_argument', 'options.batchSize must be an integer from 1 to 1000');
  }
  const result: RotateStoreSecretsResult = {
    scanned: 0,
    rotated: 0,
    current: 0,
    conflicts: 0,
    failed: 0,
    failedIds: [],
  };
  let after: string | undefined;
  for (;;) {
    const page = await store.listOtpCredentials({ after, limit });
    for (const credential of page) {
      const sealed = credential.otp?.secretCiphertext;
      if (sealed === undefined) continue;
      result.scanned += 1;
      let next: string;
      try {
        if (!box.needsRotation(sealed)) {
          result.current += 1;
          continue;
        }
        next = box.rotate(sealed, { userId: credential.userId, credentialId: credential.id });
      } catch (error) {
        if (
          !isSecondFactorError(error) ||
          !['decrypt_failed', 'unknown_key', 'invalid_argument'].includes(error.code)
        ) {
          throw error;
        }
        result.failed += 1;
        result.failedIds.push(credential.id);
        continue;
      }
      const options = { expected: sealed, next };
      if (await store.replaceCredentialSecret(credential.userId, credential.id, options)) result.rotated += 1;
      else result.conflicts += 1;
    }
    if (page.length < limit) return result;
    after = page[page.length - 1]?.id;
  }
}
