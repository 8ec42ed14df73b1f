/**
 * The products each preset reproduces, as their story tests walk them: the section of the product's own
 * user documentation, the labels and messages a user of that product sees (quoted as the product shows
 * them), and the documented behaviour in this project's words. The story files cite these rows; the
 * product documents themselves are not part of the repository.
 */

export interface ProductFixture {
  /** What kind of product it is, in our words. */
  product: string;
  /** The heading of the documentation section the story follows, as the product titles it. */
  section: string;
  /** Labels and messages quoted from the product's screens. */
  labels: readonly string[];
  /** The behaviour the story walks, one line per documented rule, in our words. */
  rules: readonly string[];
  /**
   * Every control of the product's screens (button, switch, link, field) and the one question or derived
   * setting of `Policy` that answers it. The story walks each with a row tagged `control`.
   */
  controls: readonly ProductControl[];
}

/** A control on a product's screen and the member of `Policy` that answers it. */
export interface ProductControl {
  /** The control, as the product labels it (with where it sits when the label appears twice). */
  label: string;
  /** The question or derived setting of `Policy`. */
  answeredBy: string;
}

export const PRODUCTS = {
  accountAdmin: {
    product: 'a hosted business application whose accounts have administrators and ordinary users',
    section: 'Two-factor authentication (2FA)',
    labels: [
      'Use 2FA',
      'Can toggle the use of 2FA',
      'Can toggle 2FA',
      'Reset 2FA',
      'Disable 2FA',
      'Otp invalid!',
      'continue',
    ],
    rules: [
      'TOTP is the only second factor; a code lasts 30 seconds.',
      'An administrator switches "Use 2FA" for any profile of the account, including their own.',
      'An administrator may take the "Can toggle" right from an ordinary user, who then can neither switch 2FA on nor off.',
      'A user with the right switches "Use 2FA" on their own profile.',
      'The first login after 2FA is switched on shows the QR code and a code field; later logins show only the code field.',
      'A wrong or expired code is refused with "Otp invalid!"; a right code refused means the phone clock is off.',
      'Before a device is set up, an administrator or a user with the toggle right may press "Disable 2FA" at login and go in.',
      'An administrator resets a user\'s 2FA ("Reset 2FA"), and the user sets it up again at the next login; a locked-out administrator is reset by another administrator of the same account.',
      'A signed-in user may reset their own 2FA to move it to a new phone.',
    ],
    controls: [
      {
        label: "Use 2FA (YES/NO on another user's profile, by an administrator)",
        answeredBy: 'canSetUseTwoFactor',
      },
      { label: "Use 2FA (YES/NO on one's own profile)", answeredBy: 'canSetUseTwoFactor' },
      { label: 'Use 2FA (shown on the profile)', answeredBy: 'canViewTwoFactorStatus' },
      { label: 'Can toggle the use of 2FA', answeredBy: 'canSetMayToggle' },
      { label: 'QR code and code field at the first login', answeredBy: 'canEnroll' },
      { label: 'continue', answeredBy: 'loginRequirement' },
      { label: 'code field at later logins', answeredBy: 'loginRequirement' },
      { label: 'Otp invalid!', answeredBy: 'codeFormat' },
      { label: 'Disable 2FA (first-login screen)', answeredBy: 'canSkipSetup' },
      { label: "Reset 2FA (another user's profile)", answeredBy: 'canReset' },
      { label: 'Reset 2FA (own profile)', answeredBy: 'canResetOwn' },
    ],
  },
  exclusiveMethod: {
    product: 'a customer administration portal of a service provider',
    section: 'Two-factor authentication in Customer Administration',
    labels: [
      'Add Number',
      'Verify Number',
      'Send Code',
      'Enable authentication',
      'Connect device',
      'Display QR Code',
      'Verify',
    ],
    rules: [
      'Each user chooses one method: an SMS code to a verified phone number, or an authenticator app.',
      'Switching methods requires switching the first one off.',
      'A phone number is verified with a code before it can carry 2FA, unless another person of the account already verified it.',
      'The app is connected by QR code or typed key and confirmed with its first code.',
      'Every later login asks for a code of the chosen method.',
    ],
    controls: [
      { label: 'Add Number', answeredBy: 'canEnroll' },
      { label: 'Verify Number', answeredBy: 'canSkipPhoneVerification' },
      { label: 'Send Code', answeredBy: 'codeFormat' },
      { label: 'Enable authentication', answeredBy: 'canSkipPhoneVerification' },
      { label: 'Change number', answeredBy: 'canReplaceDevice' },
      { label: 'Delete number', answeredBy: 'canRemoveDevice' },
      { label: 'Connect device', answeredBy: 'canAddMethod' },
      { label: 'Display QR Code', answeredBy: 'canEnroll' },
      { label: 'Verify', answeredBy: 'canEnroll' },
      { label: 'code at every later login', answeredBy: 'loginRequirement' },
    ],
  },
  multiMethod: {
    product: 'a hosting control panel',
    section: '2-step authentication (2FA)',
    labels: [
      'Personal data',
      'Security',
      '2-step authentication',
      'Launch',
      'Confirm',
      'Disable',
      'Synchronize',
    ],
    rules: [
      'A login is confirmed in a linked Telegram chat, or with an authenticator-app code.',
      'A phone call whose calling number ends in the code is a fallback to those two, never a method on its own; after repeated unanswered calls an SMS carries the code.',
      'Linking a Telegram account switches Telegram confirmation on; the user may switch it off.',
      'Switching 2-step verification on signs out every other session.',
      'Several Telegram chats, phone numbers and app devices may serve one account.',
      'Each method is switched off on its own from the security tab.',
    ],
    controls: [
      { label: 'Launch (Telegram)', answeredBy: 'canEnroll' },
      { label: 'Launch (Google Authenticator)', answeredBy: 'canAddMethod' },
      { label: 'Confirm', answeredBy: 'codeFormat' },
      { label: 'Disable', answeredBy: 'canRemoveDevice' },
      { label: 'request a call (pick a number)', answeredBy: 'canUseMethod' },
      { label: 'SMS instead of a new call', answeredBy: 'voiceDeliveryChannel' },
      { label: 'confirmation sent to every linked Telegram account', answeredBy: 'lifecycle' },
    ],
  },
  partnerPortal: {
    product: 'a platform whose partner tenants administer their own users',
    section: '2.21 Two-factor authentication',
    labels: [],
    rules: [
      '2FA exists only for tenants that are partners.',
      'A partner turns on TOTP by QR code, e-mail codes, or both, in its settings.',
      "E-mail codes need the partner's own SMTP server configured as well as the e-mail setting.",
      "Once configured, the login asks for the code after the administrator's user name and password.",
    ],
    controls: [
      { label: 'partner settings: TOTP on or off', answeredBy: 'canConfigureTenant' },
      { label: 'partner settings: e-mail codes and SMTP', answeredBy: 'canConfigureTenant' },
      { label: 'code entry window after user name and password', answeredBy: 'loginRequirement' },
    ],
  },
  selfService: {
    product: 'a self-hosted platform where each user manages their own security settings',
    section: 'Two-factor authentication',
    labels: [
      'Enable two-factor authentication',
      "Can't scan a QR code?",
      'Account name',
      'Key',
      'Confirmation code',
      'Enable',
      'Save to file',
      'Print',
      'Copy',
      'I confirm that the codes are saved',
      'Disable authentication',
      'Generate new codes',
      'Disable two-factor authentication',
      '2FA',
    ],
    rules: [
      'A user switches 2FA on from the account security tab: QR code or account name and key, then a six-digit code.',
      'Switching on issues backup codes, each usable once, which the user saves and acknowledges.',
      'New backup codes are issued only against a current code.',
      'The number of attempts at the password and the code is limited by the authentication settings.',
      'The phone and the server must agree on the time within a minute.',
      'The user list marks every account with 2FA; an administrator can switch 2FA off for a user but never on.',
    ],
    controls: [
      { label: 'Enable two-factor authentication', answeredBy: 'canSetUseTwoFactor' },
      { label: "Can't scan a QR code?", answeredBy: 'canEnroll' },
      { label: 'Confirmation code', answeredBy: 'codeFormat' },
      { label: 'Enable', answeredBy: 'canEnroll' },
      { label: 'Save to file, Print, Copy', answeredBy: 'lifecycle' },
      { label: 'I confirm that the codes are saved', answeredBy: 'lifecycle' },
      { label: 'Disable authentication', answeredBy: 'canSetUseTwoFactor' },
      { label: 'Generate new codes', answeredBy: 'canRegenerateBackupCodes' },
      { label: 'Disable two-factor authentication (user menu)', answeredBy: 'canSetUseTwoFactor' },
      { label: '2FA (sign in the user table)', answeredBy: 'canViewTwoFactorStatus' },
      { label: 'backup code at login', answeredBy: 'loginRequirement' },
    ],
  },
} as const satisfies Record<string, ProductFixture>;
