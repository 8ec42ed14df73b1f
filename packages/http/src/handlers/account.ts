/**
 * @module
 * The signed-in user's own 2FA: status, the "Use 2FA" switch, resetting it (a new phone), his devices
 * (list, rename, remove, switch off and on), his history, and forgetting his remembered browsers. A
 * change that signs his other sessions out returns the epoch this session keeps (I5).
 */
import { bool, text } from '../body';
import { setCookie } from '../cookies';
import { json, noContent } from '../response';
import { type Route, type RouteContext, route } from '../route';
import { historyOptions } from './history-query';
import { keepEpoch, sessionOptions } from './session-change';

const deviceIdOf = (ctx: RouteContext<unknown>): string =>
  text()('params.deviceId', ctx.request.params.deviceId);

export const accountRoutes: Route[] = [
  route({
    name: 'status',
    method: 'GET',
    path: '/status',
    guard: 'signedIn',
    csrf: false,
    noStore: true,
    body: {},
    handle: async (ctx) => json(200, await ctx.http.twoFactor.status(ctx.actor, ctx.state.user)),
  }),
  route({
    name: 'useTwoFactor',
    method: 'PUT',
    path: '/use-two-factor',
    guard: 'signedIn',
    csrf: true,
    noStore: true,
    body: { value: bool },
    handle: async (ctx) => {
      const change = await ctx.http.twoFactor.setUseTwoFactor(
        ctx.actor,
        ctx.state.user,
        ctx.body.value,
        sessionOptions(ctx),
      );
      await keepEpoch(ctx, change);
      return noContent();
    },
  }),
  route({
    name: 'reset',
    method: 'POST',
    path: '/reset',
    guard: 'signedIn',
    csrf: true,
    noStore: true,
    body: {},
    handle: async (ctx) => {
      await keepEpoch(ctx, await ctx.http.twoFactor.resetOwn(ctx.actor, sessionOptions(ctx)));
      return noContent();
    },
  }),
  route({
    name: 'devices.list',
    method: 'GET',
    path: '/devices',
    guard: 'signedIn',
    csrf: false,
    noStore: true,
    body: {},
    handle: async (ctx) =>
      json(200, { devices: await ctx.http.twoFactor.listDevices(ctx.actor, ctx.state.user) }),
  }),
  route({
    name: 'devices.rename',
    method: 'PATCH',
    path: '/devices/:deviceId',
    guard: 'signedIn',
    csrf: true,
    noStore: true,
    body: { label: text() },
    handle: async (ctx) => {
      await ctx.http.twoFactor.renameDevice(ctx.actor, { deviceId: deviceIdOf(ctx), label: ctx.body.label });
      return noContent();
    },
  }),
  route({
    name: 'devices.remove',
    method: 'DELETE',
    path: '/devices/:deviceId',
    guard: 'signedIn',
    csrf: true,
    noStore: true,
    body: {},
    handle: async (ctx) => {
      await keepEpoch(
        ctx,
        await ctx.http.twoFactor.removeDevice(ctx.actor, { deviceId: deviceIdOf(ctx) }, sessionOptions(ctx)),
      );
      return noContent();
    },
  }),
  route({
    name: 'devices.switchOff',
    method: 'POST',
    path: '/devices/:deviceId/switch-off',
    guard: 'signedIn',
    csrf: true,
    noStore: true,
    body: {},
    handle: async (ctx) => {
      await keepEpoch(
        ctx,
        await ctx.http.twoFactor.switchOffDevice(ctx.actor, {
          deviceId: deviceIdOf(ctx),
          ...sessionOptions(ctx),
        }),
      );
      return noContent();
    },
  }),
  route({
    name: 'devices.switchOn',
    method: 'POST',
    path: '/devices/:deviceId/switch-on',
    guard: 'signedIn',
    csrf: true,
    noStore: true,
    body: {},
    handle: async (ctx) => {
      const on = await ctx.http.twoFactor.switchOnDevice(ctx.actor, {
        deviceId: deviceIdOf(ctx),
        ...sessionOptions(ctx),
      });
      await keepEpoch(ctx, on);
      return json(200, {
        credentialId: on.credentialId,
        method: on.method,
        backupCodes: on.backupCodes,
        backupCodesAcknowledgementRequired: on.backupCodesAcknowledgementRequired,
      });
    },
  }),
  route({
    name: 'history',
    method: 'GET',
    path: '/history',
    guard: 'signedIn',
    csrf: false,
    noStore: true,
    body: {},
    handle: async (ctx) =>
      json(200, {
        events: await ctx.http.twoFactor.history(
          ctx.actor,
          ctx.state.user,
          historyOptions(ctx.request.query),
        ),
      }),
  }),
  route({
    // Every remembered browser of the user, this one's cookie included.
    name: 'trustedDevice.forget',
    method: 'DELETE',
    path: '/trusted-device',
    guard: 'signedIn',
    csrf: true,
    noStore: true,
    body: {},
    handle: async (ctx) => {
      const { forgotten } = await ctx.http.twoFactor.forgetTrustedDevices(ctx.actor);
      const response = json(200, { forgotten });
      response.headers['set-cookie'] = [setCookie(ctx.http.cookie, '', 0)];
      return response;
    },
  }),
];
