/**
 * @module
 * Every Lua script of the adapter by name. `runner.ts` hashes each full text once (SHA-1, the name Redis
 * caches it under) and runs it with EVALSHA.
 */
import { APPEND_AUDIT, AUDIT_EXISTS, AUDIT_INDEX, LIST_AUDIT } from './audit';
import { CONSUME_BACKUP_CODE, GET_BACKUP_CODE_SET, REPLACE_BACKUP_CODES } from './backup-codes';
import {
  CONSUME_CHALLENGE,
  CREATE_CHALLENGE,
  DELETE_CHALLENGE,
  GET_CHALLENGE,
  ROTATE_CHALLENGE,
} from './challenges';
import {
  ADD_CREDENTIAL,
  DELETE_CREDENTIAL,
  GET_CREDENTIAL,
  LIST_ADDRESS_HOLDERS,
  LIST_CREDENTIALS,
  LIST_OTP_CREDENTIALS,
  RENAME_CREDENTIAL,
  REPLACE_CREDENTIAL_SECRET,
  SWITCH_CREDENTIAL,
} from './credentials';
import { ADD_TRUSTED_DEVICE, FIND_TRUSTED_DEVICE, REVOKE_TRUSTED_DEVICES } from './devices';
import { CONFIRM_ENROLLMENT, CREATE_PENDING, DELETE_PENDING, GET_PENDING } from './enrollment';
import { FAIL_LOGIN } from './fail-login';
import { CLEAR_FAILURES, GATE_FAILURES, GET_FAILURES, REGISTER_FAILURE } from './failures';
import { CLAIM_ID, EXTEND_ID, HOLDS_ID, RELEASE_ID } from './id-claims';
import { INDEX_PAGE, INDEX_WRITE } from './indexes';
import { BEGIN_LOGIN, COMPLETE_LOGIN, END_LOGIN } from './login';
import { PREAMBLE } from './preamble';
import { RESET_USER } from './reset';
import { BUMP_SESSION_EPOCH, GET_SESSION_EPOCH } from './sessions';
import {
  GET_TWO_FACTOR_SUMMARIES,
  GET_USER_SETTINGS,
  LIST_USER_SETTINGS,
  PUT_USER_SETTINGS,
  UPDATE_USER_SETTINGS,
} from './settings';
import { GET_TENANT_SETTINGS, PUT_TENANT_SETTINGS } from './tenants';
import { BEGIN_OTP_USE, END_OTP_USE, GET_CREDENTIAL_FOR_VERIFICATION, RECORD_OTP_USE } from './verification';

/**
 * The name of one script. A script named after a store method is that method's step in its user's slot
 * (on a single node, the whole method); the others are the steps a cluster runs in other slots: id
 * claims (`claimId`, `holdsId`, `releaseId`, `extendId`), the indexes that span users (`indexPage`,
 * `indexWrite`, `auditIndex`), the parts of a verification (`beginOtpUse`, `gateFailures`, `endOtpUse`)
 * and of a login (`auditExists`, `beginLogin`, `gateFailures`, `endLogin`).
 *
 * @example
 * ```ts
 * import { REDIS_SCRIPTS, type ScriptName } from '@secondfactor/store-redis';
 *
 * const name: ScriptName = 'recordOtpUse';
 * console.log(REDIS_SCRIPTS[name]);
 * ```
 */
export type ScriptName =
  | 'putUserSettings'
  | 'updateUserSettings'
  | 'getUserSettings'
  | 'listUserSettings'
  | 'getTwoFactorSummaries'
  | 'addCredential'
  | 'getCredential'
  | 'listCredentials'
  | 'deleteCredential'
  | 'renameCredential'
  | 'switchCredential'
  | 'listAddressHolders'
  | 'recordOtpUse'
  | 'getCredentialForVerification'
  | 'replaceCredentialSecret'
  | 'listOtpCredentials'
  | 'createPendingEnrollment'
  | 'getPendingEnrollment'
  | 'confirmEnrollment'
  | 'deletePendingEnrollment'
  | 'replaceBackupCodes'
  | 'getBackupCodeSet'
  | 'consumeBackupCode'
  | 'createChallenge'
  | 'getChallenge'
  | 'consumeChallenge'
  | 'rotateChallenge'
  | 'deleteChallenge'
  | 'completeLogin'
  | 'failLogin'
  | 'registerFailure'
  | 'getFailures'
  | 'clearFailures'
  | 'addTrustedDevice'
  | 'findTrustedDevice'
  | 'revokeTrustedDevices'
  | 'resetUser'
  | 'getSessionEpoch'
  | 'bumpSessionEpoch'
  | 'getTenantSettings'
  | 'putTenantSettings'
  | 'appendAudit'
  | 'listAudit'
  | 'claimId'
  | 'holdsId'
  | 'releaseId'
  | 'extendId'
  | 'indexPage'
  | 'indexWrite'
  | 'auditIndex'
  | 'beginOtpUse'
  | 'gateFailures'
  | 'endOtpUse'
  | 'auditExists'
  | 'beginLogin'
  | 'endLogin';

const BODIES: Record<ScriptName, string> = {
  putUserSettings: PUT_USER_SETTINGS,
  updateUserSettings: UPDATE_USER_SETTINGS,
  getUserSettings: GET_USER_SETTINGS,
  listUserSettings: LIST_USER_SETTINGS,
  getTwoFactorSummaries: GET_TWO_FACTOR_SUMMARIES,
  addCredential: ADD_CREDENTIAL,
  getCredential: GET_CREDENTIAL,
  listCredentials: LIST_CREDENTIALS,
  deleteCredential: DELETE_CREDENTIAL,
  renameCredential: RENAME_CREDENTIAL,
  switchCredential: SWITCH_CREDENTIAL,
  listAddressHolders: LIST_ADDRESS_HOLDERS,
  recordOtpUse: RECORD_OTP_USE,
  getCredentialForVerification: GET_CREDENTIAL_FOR_VERIFICATION,
  replaceCredentialSecret: REPLACE_CREDENTIAL_SECRET,
  listOtpCredentials: LIST_OTP_CREDENTIALS,
  createPendingEnrollment: CREATE_PENDING,
  getPendingEnrollment: GET_PENDING,
  confirmEnrollment: CONFIRM_ENROLLMENT,
  deletePendingEnrollment: DELETE_PENDING,
  replaceBackupCodes: REPLACE_BACKUP_CODES,
  getBackupCodeSet: GET_BACKUP_CODE_SET,
  consumeBackupCode: CONSUME_BACKUP_CODE,
  createChallenge: CREATE_CHALLENGE,
  getChallenge: GET_CHALLENGE,
  consumeChallenge: CONSUME_CHALLENGE,
  rotateChallenge: ROTATE_CHALLENGE,
  deleteChallenge: DELETE_CHALLENGE,
  completeLogin: COMPLETE_LOGIN,
  failLogin: FAIL_LOGIN,
  registerFailure: REGISTER_FAILURE,
  getFailures: GET_FAILURES,
  clearFailures: CLEAR_FAILURES,
  addTrustedDevice: ADD_TRUSTED_DEVICE,
  findTrustedDevice: FIND_TRUSTED_DEVICE,
  revokeTrustedDevices: REVOKE_TRUSTED_DEVICES,
  resetUser: RESET_USER,
  getSessionEpoch: GET_SESSION_EPOCH,
  bumpSessionEpoch: BUMP_SESSION_EPOCH,
  getTenantSettings: GET_TENANT_SETTINGS,
  putTenantSettings: PUT_TENANT_SETTINGS,
  appendAudit: APPEND_AUDIT,
  listAudit: LIST_AUDIT,
  claimId: CLAIM_ID,
  holdsId: HOLDS_ID,
  releaseId: RELEASE_ID,
  extendId: EXTEND_ID,
  indexPage: INDEX_PAGE,
  indexWrite: INDEX_WRITE,
  auditIndex: AUDIT_INDEX,
  beginOtpUse: BEGIN_OTP_USE,
  gateFailures: GATE_FAILURES,
  endOtpUse: END_OTP_USE,
  auditExists: AUDIT_EXISTS,
  beginLogin: BEGIN_LOGIN,
  endLogin: END_LOGIN,
};

/**
 * The full text of each script as Redis runs it (preamble + body), for inspection and `SCRIPT LOAD`.
 *
 * @example
 * ```ts
 * import { REDIS_SCRIPTS } from '@secondfactor/store-redis';
 *
 * console.log(REDIS_SCRIPTS.consumeBackupCode);
 * ```
 */
export const REDIS_SCRIPTS: Readonly<Record<ScriptName, string>> = Object.freeze(
  Object.fromEntries(
    Object.entries(BODIES).map(([name, body]) => [name, `${PREAMBLE}\n${body.trim()}\n`]),
  ) as Record<ScriptName, string>,
);
