/**
 * @module
 * Setting up an authenticator app, at the first login or from the security page: the QR code (inline
 * SVG with an accessible name), "Can't scan the QR code?" with the account name and the key, the code
 * field; at the first login also "Disable 2FA" where the policy lets the user skip the set-up and "Set
 * up later" while a grace period runs. Each visit starts a new enrollment; nothing is active before
 * the first code is confirmed.
 */
import type { Method } from '@secondfactor/core';
import { toSvg } from '@secondfactor/qr';
import type { Express } from 'express';
import { type DemoContext, pageOf, setupPage } from '../context';
import { type Html, html, raw } from '../html';
import { sendPage } from '../layout';
import { asTwoFactorUser } from '../users';
import { addressSection, isAddressMethod, telegramSection } from './account-methods';
import { methodInText } from './code-form';
import { refusalNotice } from './errors';
import { reauthSection } from './reauth';

const ADDRESS_METHODS: readonly Method[] = ['email', 'sms', 'voice'];

function graceText(seconds: number | null): string {
  if (seconds === null) return '';
  const hours = Math.floor(seconds / 3600);
  return hours >= 48 ? ` (${Math.floor(hours / 24)} days left)` : ` (${Math.max(1, hours)} hours left)`;
}

/** Links to the other methods the user may set up instead (set-up pages of their own). */
function otherMethods(methods: readonly Method[]): Html | null {
  const others = methods.filter((m) => ADDRESS_METHODS.includes(m) || m === 'push');
  if (others.length === 0) return null;
  return html`<ul class="alternatives" data-test="setup-alternatives">
    ${others.map(
      (m) =>
        html`<li><a href="${m === 'push' ? '/setup/telegram' : `/setup/address?method=${m}`}" data-test="setup-${m}">Set up ${methodInText(m)} instead</a></li>`,
    )}
  </ul>`;
}

export function setupPages(app: Express, ctx: DemoContext): void {
  app.get('/setup', setupPage(ctx), async (req, res, next) => {
    try {
      const { state, user, actor } = pageOf(res);
      const firstLogin = state.signedIn === null;
      const pending = state.pending;
      const replaces = typeof req.query.replaces === 'string' ? req.query.replaces : undefined;
      const offered = firstLogin ? (pending?.methods ?? []) : ctx.product.policy.methods.allowed;
      // "Disable 2FA" only where the policy lets him turn the set-up down (`canSkipSetup`).
      const skippable = firstLogin && (await ctx.twoFactor.status(actor, asTwoFactorUser(user))).maySkipSetup;
      const firstLoginButtons = firstLogin
        ? html`<div class="actions">
            ${
              skippable
                ? html`<button type="button" class="secondary" data-action="skip-setup" data-test="skip-setup">Disable 2FA</button>`
                : null
            }
            ${
              pending?.deferrable
                ? html`<button type="button" class="secondary" data-action="defer-setup" data-test="defer-setup">Set up later${graceText(pending.graceRemainingSeconds)}</button>`
                : null
            }
          </div>`
        : null;
      if (!offered.includes('totp')) {
        return sendPage(ctx, res, {
          title: 'Set up two-factor authentication',
          state,
          body: html`${otherMethods(offered)}${firstLoginButtons}`,
        });
      }
      let body: Html;
      try {
        const setup = await ctx.twoFactor.beginEnrollment(actor, {
          method: 'totp',
          accountName: user.email,
          ...(replaces === undefined ? {} : { replaces }),
        });
        body = html`
          <p>${firstLogin ? 'Your account needs a second factor. ' : ''}Scan the QR code with an authenticator app
            (Google Authenticator, Microsoft Authenticator, Aegis, 2FAS, 1Password …), then enter the code it shows.</p>
          <div class="qr" role="img" aria-label="QR code for ${setup.issuer}: ${setup.accountName}" data-test="qr">
            ${raw(toSvg(setup.uri))}
          </div>
          <details class="manual" data-test="manual-entry">
            <summary data-test="cant-scan">Can’t scan the QR code?</summary>
            <p>Add an account by hand (“Enter a setup key”, time-based):</p>
            <dl>
              <dt>Account name</dt><dd><code data-test="account-name">${setup.accountName}</code></dd>
              <dt>Key</dt><dd><code id="manual-key" data-test="manual-key">${setup.manualKey}</code></dd>
            </dl>
          </details>
          <form class="card" data-action="confirm-totp" data-test="setup-form">
            <input type="hidden" name="enrollmentId" value="${setup.enrollmentId}" data-test="enrollment-id">
            ${replaces === undefined ? null : html`<input type="hidden" name="replaces" value="${replaces}">`}
            <label for="code">Code from the app</label>
            <input id="code" name="code" required autocomplete="one-time-code" inputmode="numeric" pattern="[0-9 ]*" data-test="code">
            <p class="error" role="alert" id="login-error" data-test="login-error" hidden></p>
            <p class="hint" id="clock-hint" data-test="clock-hint" hidden>Codes follow the time: sync the phone clock; drift must stay under a minute.</p>
            <button type="submit" data-test="enable">Enable</button>
          </form>
          ${otherMethods(offered)}`;
      } catch (error) {
        body = html`${refusalNotice(error)}${reauthSection('/setup')}
          <p><a href="/account">Back to the security page</a></p>`;
      }
      sendPage(ctx, res, {
        title: firstLogin ? 'Set up two-factor authentication' : 'Add an authenticator app',
        state,
        body: html`${body}${firstLoginButtons}`,
      });
    } catch (error) {
      next(error);
    }
  });

  app.get('/setup/address', setupPage(ctx), (req, res) => {
    const { state, user } = pageOf(res);
    const method = typeof req.query.method === 'string' ? req.query.method : '';
    if (!isAddressMethod(method)) return res.redirect(303, '/setup');
    sendPage(ctx, res, {
      title: 'Set up two-factor authentication',
      state,
      body: html`${addressSection(method, user)}<p><a href="/setup">Back to the other methods</a></p>`,
    });
  });

  app.get('/setup/telegram', setupPage(ctx), (_req, res) => {
    const { state } = pageOf(res);
    if (ctx.telegram === undefined) return res.redirect(303, '/setup');
    sendPage(ctx, res, {
      title: 'Set up two-factor authentication',
      state,
      body: html`${telegramSection(ctx)}<p><a href="/setup">Back to the other methods</a></p>`,
    });
  });
}
