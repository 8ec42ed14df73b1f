/**
 * @module
 * The code field of the second step, for every method that answers with a code: the app's, a backup
 * code, or one delivered by e-mail, SMS or a call; with "remember this browser" where the policy
 * offers it, and the place for "Otp invalid!" and the phone-clock hint.
 */
import type { Method } from '@secondfactor/core';
import type { SecondFactorSession } from '@secondfactor/express';
import type { DemoContext } from '../context';
import { type Html, html } from '../html';

export const METHOD_NAMES: Record<Method, string> = {
  totp: 'Authenticator app',
  hotp: 'Hardware token',
  backup_code: 'Backup code',
  email: 'E-mail',
  sms: 'SMS',
  voice: 'Phone call',
  push: 'Telegram',
};

/** A method's name inside a sentence ("Use SMS instead", "signed in with authenticator app"). */
export const methodInText = (method: Method): string =>
  method === 'sms' || method === 'push' ? METHOD_NAMES[method] : METHOD_NAMES[method].toLowerCase();

const CODE_LABELS: Partial<Record<Method, string>> = {
  totp: 'Code from your authenticator app',
  hotp: 'Code from your token',
  backup_code: 'Backup code',
  email: 'Code from the e-mail',
  sms: 'Code from the SMS',
  voice: 'The last digits of the calling number (or the code of the SMS that follows)',
};

/** The code field: an app's code, a backup code, or a delivered code. */
export function codeForm(ctx: DemoContext, state: SecondFactorSession, method: Method, next: string): Html {
  const pending = state.pending;
  const app = method === 'totp' || method === 'hotp';
  const apps = app ? (pending?.devices ?? []).filter((device) => device.method === method) : [];
  const remember = (ctx.product.policy.sessions?.rememberDeviceDays ?? 0) > 0 && pending?.stepUp !== true;
  const backup = method === 'backup_code';
  return html`<form class="card" data-action="verify-login" data-next="${next}" data-test="code-form">
    <input type="hidden" name="method" value="${method}">
    ${
      apps.length > 1
        ? html`<label for="deviceId">Device</label>
          <select id="deviceId" name="deviceId" data-test="device-choice">
            ${apps.map((device) => html`<option value="${device.id}">${device.label}</option>`)}
          </select>`
        : null
    }
    <label for="code">${CODE_LABELS[method] ?? 'Code'}</label>
    <input id="code" name="code" required autocomplete="one-time-code" data-test="code"
      ${backup ? html`class="backup-code" spellcheck="false"` : html`inputmode="numeric" pattern="[0-9 ]*"`}>
    ${
      remember
        ? html`<label class="check"><input type="checkbox" name="rememberDevice" data-test="remember-browser">
          Remember this browser for ${ctx.product.policy.sessions?.rememberDeviceDays} days</label>`
        : null
    }
    <p class="error" role="alert" id="login-error" data-test="login-error" hidden></p>
    <p class="hint" id="clock-hint" data-test="clock-hint" hidden>Codes follow the time: sync the phone clock; drift must stay under a minute.</p>
    <button type="submit" data-test="verify">Verify</button>
  </form>`;
}
