/**
 * @module
 * A service refusal shown on a page (its message, and for `fresh_auth_required` the "Confirm it's you"
 * section opened on load), or answered to a page's script as JSON.
 */
import { ERROR_STATUS, isMethod, isSecondFactorError } from '@secondfactor/core';
import type { Response } from 'express';
import { type Html, html } from '../html';
import { methodInText } from './code-form';

interface RefusalDetail {
  reason?: unknown;
  policyDetail?: { proof?: unknown; activeMethods?: unknown } | undefined;
}

/** The words a person reads for a refusal: the service's message, or a plainer one for a known reason. */
function refusalText(message: string, detail: RefusalDetail | undefined): string {
  const active = detail?.policyDetail?.activeMethods;
  if (detail?.reason === 'exclusive_method_active' && Array.isArray(active)) {
    const names = active.filter(isMethod).map(methodInText).join(' and ');
    return `One method at a time: switch ${names} off in the device table first.`;
  }
  return message;
}

/** The refusal as a notice; rethrows anything that is not a `SecondFactorError`. */
export function refusalNotice(error: unknown): Html {
  if (!isSecondFactorError(error)) throw error;
  const detail = error.detail as RefusalDetail | undefined;
  const proof = detail?.reason === 'fresh_auth_required' ? String(detail.policyDetail?.proof ?? '') : '';
  return html`<p class="notice" role="alert" data-test="refusal" data-code="${error.code}"
    data-reason="${String(detail?.reason ?? '')}" data-proof="${proof}">${refusalText(error.message, detail)}</p>`;
}

/** A refusal as the adapter answers it (`{ error: { code, message, detail } }`); rethrows anything else. */
export function sendRefusal(res: Response, error: unknown): void {
  if (!isSecondFactorError(error)) throw error;
  res.status(error.status ?? ERROR_STATUS[error.code]).json({ error: error.toJSON() });
}
