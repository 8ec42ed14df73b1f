/**
 * @module
 * The admin endpoints: the user list with its 2FA mark, one user's status and history, the "Use 2FA" and
 * "Can toggle 2FA" switches, and a reset. A user in the path is resolved by the host's admin directory
 * ("who is whose admin"): one it does not name as the actor's answers like an unknown user; the
 * service's policy then decides each action.
 */
import { SecondFactorError } from '@secondfactor/core';
import type { TwoFactorUser } from '@secondfactor/service';
import { bool, text } from '../body';
import { json, noContent } from '../response';
import { type Route, type RouteContext, route } from '../route';
import { historyOptions } from './history-query';

const userNotFound = (): SecondFactorError =>
  new SecondFactorError('not_found', 'This user was not found.', { detail: { reason: 'user_not_found' } });

/** The user of `:userId` when the directory names him as the actor's. */
async function subjectOf(ctx: RouteContext<unknown>): Promise<TwoFactorUser> {
  const directory = ctx.http.admin;
  if (directory === undefined) throw userNotFound();
  const userId = text()('params.userId', ctx.request.params.userId);
  const subject = await directory.subject(ctx.state.user, userId);
  if (subject === null || subject.id !== userId) throw userNotFound();
  return subject;
}

const pageLimit = (value: string | undefined): number => {
  if (value === undefined) return 50;
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > 1000) {
    throw new SecondFactorError('invalid_argument', 'query.limit must be 1 to 1000');
  }
  return Number(value);
};

export const adminRoutes: Route[] = [
  route({
    name: 'admin.users',
    method: 'GET',
    path: '/admin/users',
    guard: 'admin',
    csrf: false,
    noStore: true,
    body: {},
    handle: async (ctx) => {
      const directory = ctx.http.admin;
      if (directory === undefined) throw userNotFound();
      const { cursor } = ctx.request.query;
      const page = await directory.users(ctx.state.user, {
        limit: pageLimit(ctx.request.query.limit),
        ...(cursor === undefined ? {} : { cursor }),
      });
      const users = await ctx.http.twoFactor.listStatus(ctx.actor, page.users);
      return json(200, { users, next: page.next ?? null });
    },
  }),
  route({
    name: 'admin.user',
    method: 'GET',
    path: '/admin/users/:userId',
    guard: 'admin',
    csrf: false,
    noStore: true,
    body: {},
    handle: async (ctx) => json(200, await ctx.http.twoFactor.status(ctx.actor, await subjectOf(ctx))),
  }),
  route({
    name: 'admin.history',
    method: 'GET',
    path: '/admin/users/:userId/history',
    guard: 'admin',
    csrf: false,
    noStore: true,
    body: {},
    handle: async (ctx) => {
      const subject = await subjectOf(ctx);
      const events = await ctx.http.twoFactor.history(ctx.actor, subject, historyOptions(ctx.request.query));
      return json(200, { events });
    },
  }),
  route({
    name: 'admin.useTwoFactor',
    method: 'PUT',
    path: '/admin/users/:userId/use-two-factor',
    guard: 'admin',
    csrf: true,
    noStore: true,
    body: { value: bool },
    handle: async (ctx) => {
      await ctx.http.twoFactor.setUseTwoFactor(ctx.actor, await subjectOf(ctx), ctx.body.value);
      return noContent();
    },
  }),
  route({
    name: 'admin.mayToggle',
    method: 'PUT',
    path: '/admin/users/:userId/may-toggle',
    guard: 'admin',
    csrf: true,
    noStore: true,
    body: { value: bool },
    handle: async (ctx) => {
      await ctx.http.twoFactor.setMayToggle(ctx.actor, await subjectOf(ctx), ctx.body.value);
      return noContent();
    },
  }),
  route({
    name: 'admin.reset',
    method: 'POST',
    path: '/admin/users/:userId/reset',
    guard: 'admin',
    csrf: true,
    noStore: true,
    body: {},
    handle: async (ctx) => {
      await ctx.http.twoFactor.reset(ctx.actor, await subjectOf(ctx));
      return noContent();
    },
  }),
];
