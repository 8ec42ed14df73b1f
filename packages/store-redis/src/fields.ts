/**
 * @module
 * The hash fields whose values scripts hand back in a fixed order. Shared by the Lua preamble (which
 * reads them with HMGET) and the decoders (which read the reply by position), so both agree by construction.
 */

/** Fields of a `cred:<id>` hash returned to JavaScript, in reply order. */
export const CREDENTIAL_FIELDS: readonly string[] = [
  'json',
  'secret',
  'createdAt',
  'lastUsedStep',
  'driftSteps',
  'lastUsedAt',
];

/** Fields of a `challenge:<id>` hash returned to JavaScript, in reply order. */
export const CHALLENGE_FIELDS: readonly string[] = [
  'json',
  'digest',
  'expiresAt',
  'attempts',
  'maxAttempts',
  'deliveries',
  'consumedAt',
];

/** Fields of a `failures:<key>` hash returned to JavaScript, in reply order. */
export const FAILURE_FIELDS: readonly string[] = ['count', 'windowEndsAt', 'lockedUntil', 'lockouts'];
