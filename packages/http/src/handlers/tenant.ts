/**
 * @module
 * The tenant's 2FA settings: the SMTP server its users' code e-mails go through (policy
 * `canConfigureTenant`), for the actor's own tenant. Written with its password, read back without it.
 */
import { SecondFactorError } from '@secondfactor/core';
import type { TenantSmtpSettings } from '@secondfactor/service';
import { objectOrNull } from '../body';
import { json, noContent } from '../response';
import { type Route, type RouteContext, route } from '../route';

/** The actor's tenant: the settings routes take none from the request. */
function tenantOf(ctx: RouteContext<unknown>): string {
  const { tenantId } = ctx.state.user;
  if (tenantId === undefined) {
    throw new SecondFactorError('invalid_argument', 'user.tenantId is required for tenant settings');
  }
  return tenantId;
}

export const tenantRoutes: Route[] = [
  route({
    name: 'tenant.smtp.view',
    method: 'GET',
    path: '/tenant/smtp',
    guard: 'signedIn',
    csrf: false,
    noStore: true,
    body: {},
    handle: async (ctx) =>
      json(200, { smtp: await ctx.http.twoFactor.tenantSmtpView(ctx.actor, tenantOf(ctx)) }),
  }),
  route({
    name: 'tenant.smtp',
    method: 'PUT',
    path: '/tenant/smtp',
    guard: 'signedIn',
    csrf: true,
    noStore: true,
    body: { smtp: objectOrNull },
    handle: async (ctx) => {
      // The service checks every field of the settings.
      const smtp = ctx.body.smtp as TenantSmtpSettings | null;
      await ctx.http.twoFactor.setTenantSmtp(ctx.actor, tenantOf(ctx), smtp);
      return noContent();
    },
  }),
];
