/**
 * @module
 * The words the default templates use for a code's purpose and lifetime, shared by e-mail and SMS.
 */

import type { CodePurpose } from './types';

/** What the code lets the user do, completing "Use this code to …". */
export const PURPOSE_ACTION: Readonly<Record<CodePurpose, string>> = {
  login: 'sign in',
  verify: 'confirm this address',
  disable: 'turn off two-step verification',
  change: 'confirm a change to your sign-in settings',
};

/** A short name for the code, completing "Your Acme …". */
export const PURPOSE_TITLE: Readonly<Record<CodePurpose, string>> = {
  login: 'sign-in code',
  verify: 'verification code',
  disable: 'code to turn off two-step verification',
  change: 'code to confirm a security change',
};

/**
 * A lifetime in words, rounded down so the message never promises more time than the code has:
 * `600` → "10 minutes", `90` → "1 minute", `45` → "45 seconds".
 */
export function lifetimeText(ttlSeconds: number): string {
  if (ttlSeconds < 60) return ttlSeconds === 1 ? '1 second' : `${ttlSeconds} seconds`;
  const minutes = Math.floor(ttlSeconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
