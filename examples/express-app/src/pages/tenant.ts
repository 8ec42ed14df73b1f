/**
 * @module
 * The partner's tenant settings (partnerPortal): app codes (`2fa_totp`) and e-mail codes (`2fa_email`)
 * on or off for the tenant's users, which the service reads through `tenantFeatures`, and the tenant's
 * SMTP server (the adapter's `/2fa/tenant/smtp`; e-mail codes also need one). The switches are the
 * demo's own setting, so the demo asks the policy first the way the SMTP view is asked
 * (`canConfigureTenant`, through `tenantSmtpView`).
 */
import type { TenantSmtpView } from '@secondfactor/service';
import express, { type Express } from 'express';
import { actorOf, type DemoContext, pageOf, signedInPage } from '../context';
import { type Html, html } from '../html';
import { sendPage } from '../layout';
import { refusalNotice, sendRefusal } from './errors';
import { csrfMatches } from './login';
import { reauthSection } from './reauth';

const SWITCHES = [
  { feature: '2fa_totp', label: 'Codes from an authenticator app (TOTP)' },
  { feature: '2fa_email', label: 'Codes by e-mail (needs the SMTP server below)' },
] as const;

function smtpForm(view: TenantSmtpView | null): Html {
  return html`<form class="card" data-action="tenant-smtp" data-test="smtp-form">
    <h2>SMTP server</h2>
    <p class="hint">${view === null ? 'None saved yet.' : html`Saved: <span data-test="smtp-saved">${view.host}:${view.port}</span>${view.hasPassword ? ' (with a password, not shown)' : ''}.`}
      In this demo the codes still go to the <a href="/dev/outbox">outbox</a>.</p>
    <label for="smtp-host">Host</label>
    <input id="smtp-host" name="host" required value="${view?.host ?? ''}" data-test="smtp-host">
    <label for="smtp-port">Port</label>
    <input id="smtp-port" name="port" inputmode="numeric" value="${view?.port ?? 587}" data-test="smtp-port">
    <label class="check"><input type="checkbox" name="secure" ${view?.secure ? html`checked` : null} data-test="smtp-secure"> TLS from the start (port 465)</label>
    <label for="smtp-user">User</label>
    <input id="smtp-user" name="user" value="${view?.user ?? ''}" autocomplete="off" data-test="smtp-user">
    <label for="smtp-pass">Password</label>
    <input id="smtp-pass" name="pass" type="password" autocomplete="new-password" data-test="smtp-pass">
    <div class="actions">
      <button type="submit" data-test="smtp-save">Save</button>
      <button type="button" class="danger" data-action="tenant-smtp-remove" data-test="smtp-remove">Remove</button>
    </div>
  </form>`;
}

export function tenantPages(app: Express, ctx: DemoContext): void {
  if (ctx.product.policy.admin?.configureTenant !== true) return;

  app.get('/tenant', signedInPage(ctx), async (_req, res, next) => {
    try {
      const { state, user, actor } = pageOf(res);
      const tenant = ctx.tenants.find(user.tenantId);
      if (tenant === undefined || !ctx.users.isAdmin(state.user)) {
        return sendPage(ctx, res, {
          title: 'Not found',
          state,
          status: 404,
          body: html`<p>There is no such page.</p>`,
        });
      }
      let body: Html;
      try {
        const view = await ctx.twoFactor.tenantSmtpView(actor, tenant.id);
        body = html`<section class="card" data-test="features">
            <h2>Two-factor authentication for ${tenant.name}</h2>
            ${SWITCHES.map(
              ({
                feature,
                label,
              }) => html`<label class="check"><input type="checkbox" data-action="tenant-feature"
                data-feature="${feature}" ${tenant.features.includes(feature) ? html`checked` : null}
                ${tenant.features.includes('partner') ? null : html`disabled`} data-test="feature-${feature}"> ${label}</label>`,
            )}
            ${tenant.features.includes('partner') ? null : html`<p class="hint">This feature is for partners only.</p>`}
          </section>
          ${smtpForm(view)}`;
      } catch (error) {
        body = refusalNotice(error);
      }
      sendPage(ctx, res, { title: 'Tenant settings', state, body: html`${body}${reauthSection('/tenant')}` });
    } catch (error) {
      next(error);
    }
  });

  app.put('/tenant/features', express.json({ limit: '4kb' }), async (req, res, next) => {
    try {
      const state = ctx.routes.stateOf(req);
      if (state?.signedIn == null || !csrfMatches(state, req.get('x-csrf-token'))) {
        return res.status(403).json({ error: { code: 'forbidden', message: 'Sign in again.' } });
      }
      const { feature, on } = (req.body ?? {}) as { feature?: unknown; on?: unknown };
      const known = SWITCHES.find((s) => s.feature === feature);
      const tenant = ctx.tenants.find(state.user.tenantId);
      if (known === undefined || typeof on !== 'boolean' || tenant === undefined) {
        return res
          .status(400)
          .json({ error: { code: 'invalid_argument', message: 'feature and on are required' } });
      }
      try {
        await ctx.twoFactor.tenantSmtpView(actorOf(state), tenant.id);
      } catch (error) {
        return sendRefusal(res, error);
      }
      ctx.tenants.set(tenant.id, known.feature, on);
      res.status(204).end();
    } catch (error) {
      next(error);
    }
  });
}
