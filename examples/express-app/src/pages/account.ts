/**
 * @module
 * The profile's security tab: whether 2FA is on, switching it on (the set-up) and off, the devices with
 * rename and remove, backup codes left and a new set, forgetting remembered browsers, resetting one's
 * own 2FA where the policy allows it, and the e-mail, phone and Telegram methods.
 */
import type { TwoFactorDevice, TwoFactorStatus } from '@secondfactor/service';
import type { Express } from 'express';
import { type DemoContext, pageOf, signedInPage } from '../context';
import { type Html, html } from '../html';
import { sendPage } from '../layout';
import { asTwoFactorUser } from '../users';
import { methodsSection } from './account-methods';
import { METHOD_NAMES, methodInText } from './code-form';
import { refusalNotice } from './errors';
import { reauthSection } from './reauth';

/** A time as the pages show it. */
export const shownTime = (ms: number | null): string =>
  ms === null ? '—' : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/** A time in a table cell: the day and the time of day each kept on one line. */
function timeCell(ms: number | null): Html {
  const [day, ...rest] = shownTime(ms).split(' ');
  return html`<td class="time"><span>${day}</span> <span>${rest.join(' ')}</span></td>`;
}

function deviceRow(device: TwoFactorDevice): Html {
  const app = device.method === 'totp' || device.method === 'hotp';
  return html`<tr data-test="device" data-device-id="${device.id}">
    <td>
      <form class="inline" data-action="rename-device" data-device-id="${device.id}">
        <input name="label" value="${device.label}" aria-label="Name of ${device.label}" maxlength="64" data-test="device-label">
        <button type="submit" class="link" data-test="rename-device">Rename</button>
      </form>
    </td>
    <td>${METHOD_NAMES[device.method]}${device.hint === undefined ? '' : ` · ${device.hint}`}</td>
    ${timeCell(device.createdAt)}
    ${timeCell(device.lastUsedAt)}
    <td data-test="device-state">${device.switchedOff ? 'Switched off' : 'On'}</td>
    <td class="actions">
      ${
        app
          ? null
          : device.switchedOff
            ? html`<button type="button" class="link" data-action="switch-on" data-device-id="${device.id}" data-test="switch-on">Switch on</button>`
            : html`<button type="button" class="link" data-action="switch-off" data-device-id="${device.id}" data-test="switch-off">Switch off</button>`
      }
      ${
        device.method === 'email' || device.method === 'sms' || device.method === 'voice'
          ? html`<button type="button" class="link" data-action="change-address" data-method="${device.method}" data-device-id="${device.id}" data-test="change-address">Change</button>`
          : null
      }
      <button type="button" class="link danger" data-action="remove-device" data-device-id="${device.id}" data-test="remove-device">Remove</button>
    </td>
  </tr>`;
}

function statusSection(ctx: DemoContext, status: TwoFactorStatus): Html {
  const self = ctx.product.policy.self ?? {};
  const allowed = ctx.product.policy.methods.allowed;
  // The service asks the policy which switches this user may use (the calls still ask it again).
  const setUp = !status.hasTwoFactor && (status.mayEnable || status.useTwoFactor === true);
  return html`<section class="card" data-test="status-section">
    <h2>Two-factor authentication:
      <span class="mark ${status.hasTwoFactor ? 'on' : 'off'}" data-test="2fa-status">${status.hasTwoFactor ? 'On' : 'Off'}</span></h2>
    ${self.toggle && !status.mayEnable && !status.mayDisable ? html`<p class="hint" data-test="may-not-toggle">Your administrator decides whether you use two-factor authentication.</p>` : null}
    <div class="actions">
      ${
        setUp && allowed.includes('totp')
          ? html`<a class="button" href="/setup" data-test="enable-2fa">Enable two-factor authentication</a>`
          : null
      }
      ${
        status.hasTwoFactor && allowed.includes('totp')
          ? html`<a class="button secondary" href="/setup" data-test="add-app">Add an authenticator app</a>`
          : null
      }
      ${
        status.hasTwoFactor && status.mayDisable
          ? html`<button type="button" class="danger" data-action="use-2fa" data-value="false" data-test="disable-2fa">Turn off two-factor authentication</button>`
          : null
      }
      ${
        status.hasTwoFactor && self.resetOwn
          ? html`<button type="button" class="secondary" data-action="reset-own" data-test="reset-own">Reset (moving to a new phone)</button>`
          : null
      }
    </div>
  </section>`;
}

function backupSection(ctx: DemoContext, status: TwoFactorStatus): Html | null {
  if (!ctx.product.policy.backupCodes?.issue || !status.hasTwoFactor) return null;
  return html`<section class="card" data-test="backup-section">
    <h2>Backup codes</h2>
    <p><span data-test="backup-codes-remaining">${status.backupCodesRemaining}</span> unused backup codes left.
      ${status.backupCodesRemaining > 0 && !status.backupCodesAcknowledged ? html`<strong data-test="codes-not-confirmed">You have not confirmed that you saved them.</strong>` : null}</p>
    <button type="button" class="secondary" data-action="regenerate-codes" data-test="regenerate-codes">Get new backup codes</button>
  </section>`;
}

function browsersSection(ctx: DemoContext): Html | null {
  const days = ctx.product.policy.sessions?.rememberDeviceDays ?? 0;
  if (days === 0) return null;
  return html`<section class="card" data-test="browsers-section">
    <h2>Remembered browsers</h2>
    <p>Browsers where you ticked “Remember this browser” skip the code for ${days} days.</p>
    <button type="button" class="secondary" data-action="forget-browsers" data-test="forget-browsers">Forget remembered browsers</button>
  </section>`;
}

export function accountPages(app: Express, ctx: DemoContext): void {
  app.get('/account', signedInPage(ctx), async (_req, res, next) => {
    try {
      const { state, user, actor } = pageOf(res);
      const subject = asTwoFactorUser(user);
      let body: Html;
      try {
        const [status, devices] = await Promise.all([
          ctx.twoFactor.status(actor, subject),
          ctx.twoFactor.listDevices(actor, subject),
        ]);
        body = html`
          ${statusSection(ctx, status)}
          <section class="card" data-test="devices-section">
            <h2>Devices</h2>
            ${
              devices.length === 0
                ? html`<p data-test="no-devices">No devices yet.</p>`
                : html`<table class="devices" data-test="devices">
                  <thead><tr><th>Name</th><th>Method</th><th>Added</th><th>Last used</th><th>State</th><th></th></tr></thead>
                  <tbody>${devices.map(deviceRow)}</tbody>
                </table>`
            }
          </section>
          ${await methodsSection(ctx, user, devices)}
          ${backupSection(ctx, status)}
          ${browsersSection(ctx)}`;
      } catch (error) {
        body = refusalNotice(error);
      }
      sendPage(ctx, res, {
        title: 'Security',
        state,
        body: html`<p>Signed in as <strong>${user.id}</strong> (${user.email})${
          state.signedIn?.secondFactor ? ` with ${methodInText(state.signedIn.secondFactor.method)}` : ''
        }.</p>${body}${reauthSection('/account')}`,
      });
    } catch (error) {
      next(error);
    }
  });
}
