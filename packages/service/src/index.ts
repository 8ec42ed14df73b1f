/**
 * @module
 * `@secondfactor/service`: the framework-free 2FA service a host calls from its login — login challenge
 * and verification with replay guard, throttling and drift, authenticator-app enrollment, backup codes,
 * the "Use 2FA" and "Can toggle 2FA" switches, resets, devices and status, trusted browsers, session
 * revocation, imports from other libraries, e-mail/SMS/voice codes and Telegram push approval, and an audit event for every change and outcome.
 */
export type { BackupCodesFile, BackupCodesFileRequest, RegeneratedBackupCodes } from './backup';
export type {
  BeginEnrollmentOptions,
  ConfirmEnrollmentInput,
  EnrollmentConfirmed,
  EnrollmentStart,
} from './enrollment';
export { DEFAULT_MESSAGES, retryAfterMs, type TwoFactorRefusal } from './errors';
export type { TwoFactorEvent, TwoFactorEventListener, TwoFactorEventType } from './events';
export type { ImportCredentialInput, ImportedCredential } from './import';
export type { LoginDevice, LoginStart, LoginSuccess, StartLoginOptions, VerifyLoginInput } from './login';
export type {
  HistoryOptions,
  RemoveDeviceInput,
  RenameDeviceInput,
  TwoFactorDevice,
  TwoFactorStatus,
  TwoFactorStatusRow,
} from './manage';
export type { VerifyAddressInput } from './oob/address-verification';
export type {
  AddAddressInput,
  AddressAdded,
  AddressCodeSent,
  AddressTrusted,
  ResendAddressCodeInput,
} from './oob/addresses';
export type { OobMethod } from './oob/codes';
export type { DeliveryChannel } from './oob/deliver';
export type { LoginCodeSent, SendLoginCodeInput } from './oob/login-codes';
export type { OobChannels, SendLimit, SendLimits } from './oob/options';
export type { SendLimitName } from './oob/send-limits';
export type { SessionHooks, TenantFeatures, TwoFactorOptions } from './options';
export type { LoginApprovalSent, SendLoginApprovalInput } from './push/approval';
export type {
  LinkTelegramInput,
  LinkTelegramStatusInput,
  TelegramLink,
  TelegramLinkStatus,
} from './push/link';
export type { PushChannels } from './push/options';
export { type TelegramPush, telegramPush } from './push/telegram-push';
export type { TelegramRefusal, TelegramUpdateHandled } from './push/webhook';
export { createTwoFactor, type SweepOptions, type TwoFactor } from './service';
export type { SessionChange, SessionChangeOptions } from './sessions';
export type { DeferSetupInput, SetupDeferred } from './setup-deferral';
export type { TwoFactorUser } from './subject';
export type { DeviceSwitchedOn, SwitchDeviceInput } from './switch';
export type { TenantSmtpSettings, TenantSmtpView } from './tenant';
