/**
 * @module
 * The hash fields whose values scripts hand back in a fixed order. Shared by the Lua preamble (which
 * reads them with HMGET) and the decoders (which read the reply by position), so both agree by construction.
 */

/**
 * Fields of a `cred:<id>` hash returned to JavaScript, in reply order. `label` is written by
 * `renameCredential` only and then wins over the label in `json`; `switchedOffAt` is present while the
 * credential is switched off. (The hash also holds `kind` and, for a credential with an address, the tag
 * of its address index, `addressTag`, which only scripts read.)
 */
export const CREDENTIAL_FIELDS: readonly string[] = [
  'json',
  'secret',
  'createdAt',
  'lastUsedStep',
  'driftSteps',
  'lastUsedAt',
  'label',
  'switchedOffAt',
];

/**
 * Fields of a `settings` hash returned to JavaScript, in reply order: `json`, the record as
 * `putUserSettings` wrote it (or as `updateUserSettings` created it), then the fields an
 * `updateUserSettings` changed since, each a JSON value written by JavaScript that wins over `json`.
 */
export const SETTINGS_FIELDS: readonly string[] = [
  'json',
  'tenantId',
  'useTwoFactor',
  'mayToggle',
  'graceStartedAt',
  'backupCodesAcknowledgedAt',
  'enrollmentResetAt',
  'updatedAt',
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
