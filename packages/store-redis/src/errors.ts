/**
 * @module
 * Turns whatever ioredis rejects with into a `SecondFactorError`, without the command arguments (which
 * hold digests and ciphertexts) that ioredis attaches to its errors.
 */
import { isSecondFactorError, SecondFactorError } from '@secondfactor/core';

// Replies that mean "try again later", not "this script is wrong".
const TRANSIENT = /^(LOADING|BUSY|MASTERDOWN|READONLY|CLUSTERDOWN|TRYAGAIN|NOREPLICAS|MISCONF|OOM)\b/;

/** True for the reply Redis gives to EVALSHA when its script cache does not hold the script. */
export function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * The error a store method rejects with: `store_unavailable` for a lost or refused connection and for
 * transient server states, `internal` for any other error reply. The cause keeps name and message only.
 */
export function storeError(error: unknown): SecondFactorError {
  if (isSecondFactorError(error)) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  // A fresh Error: ioredis puts the command (with its arguments) on the one it rejects with.
  const cause = Object.assign(new Error(message), { name });
  if (name === 'ReplyError' && !TRANSIENT.test(message)) {
    return new SecondFactorError('internal', 'Redis refused a secondfactor script', { cause });
  }
  return new SecondFactorError('store_unavailable', 'Redis is not reachable', { cause });
}
