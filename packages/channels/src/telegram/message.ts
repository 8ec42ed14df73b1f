/**
 * @module
 * The approval message: its HTML text (Bot API "HTML style" formatting, every value escaped) and its
 * inline keyboard, whose buttons carry `a:<approvalId>` and `d:<approvalId>` as callback data.
 */

import { SecondFactorError } from '@secondfactor/core';
import { escapeHtml } from '../html';

/**
 * One sign-in to approve or deny, as the approval message shows it.
 *
 * @example
 * ```ts
 * import type { TelegramApproval } from '@secondfactor/channels';
 *
 * const approval: TelegramApproval = {
 *   approvalId: 'k3Jd9_Qx2mVb7LpA',
 *   issuer: 'Acme',
 *   at: Date.now(),
 *   ip: '203.0.113.7',
 *   device: 'Firefox 128 on Linux',
 * };
 * ```
 */
export interface TelegramApproval {
  /**
   * The host's id of this approval request, 1–62 characters of `A–Z a–z 0–9 _ -`: with its `a:`/`d:`
   * prefix it must fit the Bot API's 64-byte `callback_data`. Make it unguessable and single-use; the
   * decision comes back with it.
   */
  approvalId: string;
  /** The service name shown in the message ("Acme"). */
  issuer: string;
  /** When the sign-in was attempted, in milliseconds since the Unix epoch; shown in UTC. */
  at: number;
  /** The address the sign-in came from, shown when given. */
  ip?: string | undefined;
  /** The browser or device that is signing in (a user-agent summary), shown when given. */
  device?: string | undefined;
}

/** `a:` or `d:` plus an approval id must fit `callback_data`'s 64 bytes. */
const APPROVAL_ID = /^[A-Za-z0-9_-]{1,62}$/;
/** `callback_data` as the approval message's buttons write it. */
const CALLBACK_DATA = /^([ad]):([A-Za-z0-9_-]{1,62})$/;

/** Longest issuer, IP and device text shown; longer values are cut (a user agent can be kilobytes). */
const LIMITS = { issuer: 100, ip: 64, device: 200 } as const;

/** Throws `invalid_argument` unless `value` is a valid approval id. */
export function _checkApprovalId(value: unknown, name: string): string {
  if (typeof value !== 'string' || !APPROVAL_ID.test(value)) {
    throw new SecondFactorError('invalid_argument', `${name} must be 1-62 characters of A-Z a-z 0-9 _ -`);
  }
  return value;
}

/** The approval id and decision a button's `callback_data` carries, or `undefined` for other data. */
export function _readCallbackData(
  data: string,
): { approvalId: string; decision: 'approve' | 'deny' } | undefined {
  const match = CALLBACK_DATA.exec(data);
  if (match === null) return undefined;
  return { approvalId: match[2]!, decision: match[1] === 'a' ? 'approve' : 'deny' };
}

/**
 * A value fit to show on one line: control and invisible format characters (line breaks, bidi overrides)
 * become spaces, so a crafted user agent cannot draw extra lines such as a fake "IP:" into the message
 * or reorder what is shown; then it is cut to `limit` code points.
 */
function oneLine(value: string, limit: number): string {
  // Cut by code points, never inside a surrogate pair (Telegram refuses text that is not valid UTF-8).
  const flat = [...value.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ').trim()];
  return flat.length > limit ? `${flat.slice(0, limit).join('')}…` : flat.join('');
}

/** `2026-05-01 12:00:00 UTC`. */
function formatTime(at: number): string {
  return `${new Date(at).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function checkApproval(approval: unknown): TelegramApproval {
  if (typeof approval !== 'object' || approval === null) {
    throw new SecondFactorError('invalid_argument', 'approval must be an object');
  }
  const { approvalId, issuer, at, ip, device } = approval as Record<string, unknown>;
  _checkApprovalId(approvalId, 'approval.approvalId');
  if (typeof issuer !== 'string' || oneLine(issuer, LIMITS.issuer) === '') {
    throw new SecondFactorError('invalid_argument', 'approval.issuer must be a non-empty string');
  }
  if (typeof at !== 'number' || !Number.isFinite(at) || Number.isNaN(new Date(at).getTime())) {
    throw new SecondFactorError('invalid_argument', 'approval.at must be a time in milliseconds');
  }
  if (ip !== undefined && typeof ip !== 'string') {
    throw new SecondFactorError('invalid_argument', 'approval.ip must be a string');
  }
  if (device !== undefined && typeof device !== 'string') {
    throw new SecondFactorError('invalid_argument', 'approval.device must be a string');
  }
  return approval as TelegramApproval;
}

/** The `sendMessage` parameters of an approval message to `chatId`. */
export function _approvalMessage(chatId: number, input: unknown): Record<string, unknown> {
  const approval = checkApproval(input);
  const line = (label: string, value: string, limit: number): string =>
    `${label}: <b>${escapeHtml(oneLine(value, limit))}</b>`;
  const lines = [
    `<b>Sign-in to ${escapeHtml(oneLine(approval.issuer, LIMITS.issuer))}</b>`,
    'Someone is signing in to your account. Approve only if this is you, right now.',
    '',
    line('Time', formatTime(approval.at), 32),
  ];
  if (approval.ip !== undefined && oneLine(approval.ip, LIMITS.ip) !== '') {
    lines.push(line('IP', approval.ip, LIMITS.ip));
  }
  if (approval.device !== undefined && oneLine(approval.device, LIMITS.device) !== '') {
    lines.push(line('Device', approval.device, LIMITS.device));
  }
  return {
    chat_id: chatId,
    text: lines.join('\n'),
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    reply_markup: {
      inline_keyboard: [
        [
          { text: 'Approve', callback_data: `a:${approval.approvalId}` },
          { text: 'Deny', callback_data: `d:${approval.approvalId}` },
        ],
      ],
    },
  };
}
