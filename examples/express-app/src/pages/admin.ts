/**
 * @module
 * The administrator's user table: every user the admin directory gives him (his tenant), a 2FA mark per
 * user, and the actions his policy offers: "Use 2FA", "Can toggle 2FA" and a reset. The service decides
 * each action; a refusal is shown as it answers.
 */
import type { TwoFactorStatusRow } from '@secondfactor/service';
import type { Express } from 'express';
import { type DemoContext, pageOf, signedInPage } from '../context';
import { type Html, html } from '../html';
import { sendPage } from '../layout';
import { METHOD_NAMES } from './code-form';
import { refusalNotice } from './errors';
import { reauthSection } from './reauth';

function useControl(ctx: DemoContext, row: TwoFactorStatusRow): Html | null {
  const admin = ctx.product.policy.admin ?? {};
  if (!admin.require && !admin.disableFor) return null;
  const value = row.useTwoFactor === null ? '' : String(row.useTwoFactor);
  return html`<select data-action="admin-use-2fa" data-user-id="${row.userId}" aria-label="Use 2FA for ${row.userId}" data-test="use-2fa">
    <option value="" disabled ${value === '' ? html`selected` : null}>Not set</option>
    ${admin.require ? html`<option value="true" ${value === 'true' ? html`selected` : null}>Yes</option>` : null}
    ${admin.disableFor ? html`<option value="false" ${value === 'false' ? html`selected` : null}>No</option>` : null}
  </select>`;
}

function row(ctx: DemoContext, status: TwoFactorStatusRow, self: string): Html {
  const admin = ctx.product.policy.admin ?? {};
  const user = ctx.users.find(status.userId);
  return html`<tr data-test="user-row" data-user-id="${status.userId}">
    <td>${status.userId}${status.userId === self ? ' (you)' : ''}</td>
    <td>${user?.roles.join(', ') || '—'}</td>
    <td><span class="mark ${status.hasTwoFactor ? 'on' : 'off'}" data-test="mark">${status.hasTwoFactor ? '✓ On' : '✗ Off'}</span>
      ${status.methods.length > 0 ? html`<span class="hint">${status.methods.map((m) => METHOD_NAMES[m]).join(', ')}</span>` : null}</td>
    <td>${useControl(ctx, status)}</td>
    <td>${
      admin.setMayToggle
        ? html`<label class="check"><input type="checkbox" data-action="admin-may-toggle" data-user-id="${status.userId}"
            ${status.mayToggle !== false ? html`checked` : null} data-test="may-toggle"> Can toggle 2FA</label>`
        : null
    }</td>
    <td>${
      admin.reset
        ? html`<button type="button" class="link danger" data-action="admin-reset" data-user-id="${status.userId}" data-test="reset">Reset 2FA</button>`
        : null
    }</td>
  </tr>`;
}

export function adminPages(app: Express, ctx: DemoContext): void {
  app.get('/admin/users', signedInPage(ctx), async (_req, res, next) => {
    try {
      const { state, user, actor } = pageOf(res);
      if (!ctx.users.isAdmin(state.user)) {
        return sendPage(ctx, res, {
          title: 'Not found',
          state,
          status: 404,
          body: html`<p>There is no such page.</p>`,
        });
      }
      const page = await ctx.users.directory.users(state.user, { limit: 100 });
      let body: Html;
      try {
        const rows = await ctx.twoFactor.listStatus(actor, [...page.users]);
        body = html`<table class="users" data-test="users">
          <thead><tr><th>User</th><th>Roles</th><th>2FA</th><th>Use 2FA</th><th>Can toggle</th><th></th></tr></thead>
          <tbody>${rows.map((status) => row(ctx, status, user.id))}</tbody>
        </table>`;
      } catch (error) {
        body = refusalNotice(error);
      }
      const tenant = ctx.tenants.find(user.tenantId);
      sendPage(ctx, res, {
        title: tenant === undefined ? 'Users' : `Users of ${tenant.name}`,
        state,
        body: html`${body}${reauthSection('/admin/users')}`,
      });
    } catch (error) {
      next(error);
    }
  });
}
