/**
 * @module
 * The text a user saves, prints or copies when backup codes are shown ("Save to file / Print / Copy"):
 * who the codes are for, when they were made, one line on how to use them, and the numbered codes.
 */

import { SecondFactorError } from '@secondfactor/core';
import { MAX_BACKUP_CODES } from '@secondfactor/store';

/**
 * Input of {@link formatBackupCodesFile}.
 *
 * @example
 * ```ts
 * import { type BackupCodesFileInput, formatBackupCodesFile, issueBackupCodes } from '@secondfactor/backup-codes';
 *
 * const { codes, event } = await issueBackupCodes(store, 'user-1', { hasher, now: Date.now() });
 * const input: BackupCodesFileInput = {
 *   issuer: 'Acme',
 *   account: 'ada@example.com',
 *   codes,
 *   createdAt: event.at,
 *   lineEnding: '\r\n',
 * };
 * const text = formatBackupCodesFile(input);
 * ```
 */
export interface BackupCodesFileInput {
  /** The service name the user knows ("Acme"), 1–100 characters. */
  issuer: string;
  /** The account the codes belong to (e-mail address or user name), 1–320 characters. */
  account: string;
  /** The codes as returned by `issueBackupCodes` / `generateBackupCodes`. */
  codes: readonly string[];
  /** When the set was issued: Unix milliseconds or a `Date`. Written as a UTC date. */
  createdAt: number | Date;
  /**
   * Line ending of the text.
   * @default '\n'
   */
  lineEnding?: '\n' | '\r\n' | undefined;
}

// Upper-case symbols of the code alphabets in hyphen-separated groups: what this package displays.
// Lower-case hex (a digest passed by mistake) does not match.
const DISPLAYED_CODE = /^[0-9A-HJKMNP-TV-Z]+(?:-[0-9A-HJKMNP-TV-Z]+)*$/;

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x20 || (unit >= 0x7f && unit <= 0x9f) || unit === 0x2028 || unit === 0x2029) return true;
  }
  return false;
}

function checkText(name: string, value: unknown, max: number): string {
  // Control characters and line separators are refused: they could forge extra lines in the file.
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > max || hasControl(value)) {
    throw new SecondFactorError(
      'invalid_argument',
      `${name} must be 1 to ${max} characters without control characters or line breaks`,
    );
  }
  return value.trim();
}

function isoDate(createdAt: unknown): string {
  const ms = createdAt instanceof Date ? createdAt.getTime() : createdAt;
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms < 0 || ms > 8.64e15) {
    throw new SecondFactorError('invalid_argument', 'createdAt must be a valid Date or Unix milliseconds');
  }
  return new Date(ms).toISOString().slice(0, 10);
}

function checkCodes(codes: unknown): readonly string[] {
  if (!Array.isArray(codes) || codes.length === 0 || codes.length > MAX_BACKUP_CODES) {
    throw new SecondFactorError(
      'invalid_argument',
      `codes must be an array of 1 to ${MAX_BACKUP_CODES} codes`,
    );
  }
  const seen = new Set<string>();
  codes.forEach((code: unknown, index) => {
    // The message names the position only: the value is a secret.
    if (typeof code !== 'string' || code.length > 80 || !DISPLAYED_CODE.test(code)) {
      throw new SecondFactorError('invalid_argument', `codes[${index}] is not a backup code`);
    }
    const canonical = code.replaceAll('-', '');
    if (seen.has(canonical))
      throw new SecondFactorError('invalid_argument', `codes[${index}] repeats a code`);
    seen.add(canonical);
  });
  return codes as readonly string[];
}

/**
 * The backup codes as a plain-text file: a title with issuer and account, the UTC date, a one-line
 * instruction, and the codes numbered and aligned, one per line. Nothing else (no digest, no user id).
 *
 * @throws {SecondFactorError} `invalid_argument` for empty or over-long issuer or account, text with
 * control characters or line breaks, no codes or more than 100, a value that is not a displayed code,
 * repeated codes, or an invalid date.
 *
 * @example
 * ```ts
 * import { formatBackupCodesFile } from '@secondfactor/backup-codes';
 *
 * const text = formatBackupCodesFile({ issuer: 'Acme', account: 'ada@example.com', codes, createdAt: Date.now() });
 * // Acme backup codes for ada@example.com
 * // Created 2025-11-23 (UTC)
 * //
 * // Each code signs you in once when you cannot use your usual second factor. Keep them private and safe.
 * //
 * //  1. 7K2M-QX9P-R4TD-W3HB
 * //  …
 * // 10. N8CE-4RJT-ZQ2W-5M0A
 * ```
 */
export function formatBackupCodesFile(input: BackupCodesFileInput): string {
  if (typeof input !== 'object' || input === null) {
    throw new SecondFactorError('invalid_argument', 'input must be an object');
  }
  const issuer = checkText('issuer', input.issuer, 100);
  const account = checkText('account', input.account, 320);
  const codes = checkCodes(input.codes);
  const date = isoDate(input.createdAt);
  const eol = input.lineEnding ?? '\n';
  if (eol !== '\n' && eol !== '\r\n') {
    throw new SecondFactorError('invalid_argument', 'lineEnding must be "\\n" or "\\r\\n"');
  }
  const width = String(codes.length).length;
  const lines = [
    `${issuer} backup codes for ${account}`,
    `Created ${date} (UTC)`,
    '',
    'Each code signs you in once when you cannot use your usual second factor. Keep them private and safe.',
    '',
    ...codes.map((code, index) => `${String(index + 1).padStart(width, ' ')}. ${code}`),
  ];
  return lines.join(eol) + eol;
}

/**
 * A file name for the download: the issuer in lower-case ASCII (accents dropped, anything but letters and
 * digits turned into hyphens), then `-backup-codes.txt`.
 *
 * @example
 * ```ts
 * import { backupCodesFileName } from '@secondfactor/backup-codes';
 *
 * backupCodesFileName('Acme Cloud'); // 'acme-cloud-backup-codes.txt'
 * ```
 */
export function backupCodesFileName(issuer: string): string {
  const slug = checkText('issuer', issuer, 100)
    .normalize('NFKD')
    // Combining marks left by NFKD, so 'Café' becomes 'cafe' rather than 'caf-'.
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug.length === 0 ? 'backup-codes.txt' : `${slug}-backup-codes.txt`;
}
