export { type Base32EncodeOptions, base32Decode, base32Encode, formatSecretForManualEntry } from './base32';
export { timingSafeEqual } from './compare';
export {
  ALGORITHMS,
  type Algorithm,
  DEFAULT_ALGORITHM,
  DEFAULT_DIGITS,
  DEFAULT_LOOK_AHEAD,
  DEFAULT_PERIOD,
  DEFAULT_SECRET_BYTES,
  DEFAULT_WINDOW,
  HASH_OUTPUT_BYTES,
  MAX_COUNTER,
  MAX_DIGITS,
  MAX_KEY_URI_LENGTH,
  MAX_LOOK_AHEAD,
  MAX_SECRET_BYTES,
  MAX_WINDOW,
  MIN_DIGITS,
  MIN_SECRET_BYTES,
} from './constants';
export {
  ERROR_STATUS,
  httpStatusOf,
  isSecondFactorError,
  SecondFactorError,
  type SecondFactorErrorCode,
  type SecondFactorErrorOptions,
} from './errors';
export type { FailureLimits } from './failure-limits';
export {
  type HotpMatch,
  type HotpRejection,
  hotp,
  type OtpOptions,
  type VerifyHotpOptions,
  type VerifyHotpResult,
  verifyHotp,
} from './hotp';
export { isMethod, METHODS, type Method } from './methods';
export {
  type CreateHotpOptions,
  type CreateTotpOptions,
  createHotp,
  createTotp,
  type PreparedHotp,
  type PreparedTotp,
  type PreparedVerifyHotpOptions,
  type PreparedVerifyTotpOptions,
} from './prepared';
export { fillRandom, type RandomSource } from './random';
export { type GenerateSecretOptions, generateSecret } from './secret';
export {
  type TotpMatch,
  type TotpOptions,
  type TotpRejection,
  type TotpStepOptions,
  type TotpWindow,
  totp,
  totpStep,
  type VerifyTotpOptions,
  type VerifyTotpResult,
  verifyTotp,
} from './totp';
export type { TwoFactorSwitch } from './two-factor-switch';
export {
  type BuildKeyUriOptions,
  buildKeyUri,
  type HotpKeyUriParams,
  type KeyUriParams,
  type KeyUriWarning,
  keyUriWarnings,
  type TotpKeyUriParams,
} from './uri-build';
export {
  type ParsedHotpKeyUri,
  type ParsedKeyUri,
  type ParsedTotpKeyUri,
  type ParseKeyUriOptions,
  parseKeyUri,
} from './uri-parse';
