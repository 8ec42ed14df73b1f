/**
 * @module
 * `@secondfactor/store/adapter`: what an adapter author needs and a host does not. `CheckedStore` turns
 * the adapter's `StoreOperations` into a `SecondFactorStore` that checks every argument first, and the
 * lockout arithmetic (`nextFailureCounter`, `readFailureState`) is the reference an adapter's SQL or Lua
 * mirrors. Prove the adapter with `runStoreConformance` from `@secondfactor/store/testing`.
 */
export { type FailureCounter, nextFailureCounter, readFailureState } from '../failures';
export { failLoginAuditData } from '../validate-fail-login';
export { addressHolderOf } from './address-holder';
export { CheckedStore } from './checked-store';
export type {
  CheckedAddressHolderQuery,
  CheckedAuditFilter,
  CheckedBackupCodeSet,
  CheckedCompleteLoginOptions,
  CheckedConfirmEnrollmentOptions,
  CheckedFailLoginOptions,
  CheckedFailureLimits,
  CheckedPage,
  CheckedRecordOtpUseOptions,
  CheckedRegisterFailureOptions,
  CheckedSweepExpiredOptions,
  CheckedUpdateUserSettingsOptions,
  CheckedUserSettingsPatch,
  StoreOperations,
} from './operations';
