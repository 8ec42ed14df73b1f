/**
 * @module
 * The second step of a login, over the pending login kept in the session (never a login or user id
 * from the request, I2): its state, a code or backup code, a delivered code (send or resend, to the
 * address the user picked), a Telegram approval (send, then poll), postponing or skipping the first
 * set-up, and a step-up of a signed-in session.
 */
import { isSecondFactorError, METHODS, SecondFactorError } from '@secondfactor/core';
import type { LoginSuccess, OobMethod } from '@secondfactor/service';
import { code, oneOf, optionalBool, optionalText } from '../body';
import { setCookie } from '../cookies';
import { loginFailed } from '../guards';
import { header } from '../request';
import { json } from '../response';
import { type Route, type RouteContext, route } from '../route';
import type { PendingLogin } from '../session-state';
import { pendingOf, signedInWith, viewOf } from './login-state';

const method = oneOf(METHODS);

const oobMethod = oneOf<OobMethod>(['email', 'sms', 'voice']);

// Every answer that would tell a wrong code from an ended or unknown login is the same one (I11).
const UNIFORM = new Set(['otp_invalid', 'otp_expired', 'challenge_expired']);

async function uniform<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (isSecondFactorError(error) && UNIFORM.has(error.code)) throw loginFailed();
    throw error;
  }
}

const pendingIn = (ctx: RouteContext<unknown>): PendingLogin => {
  const { pending } = ctx.state;
  if (pending === null) throw loginFailed();
  return pending;
};

/** Records a passed login in the session under a new id (I4), and remembers the browser when asked. */
async function completed(ctx: RouteContext<unknown>, proof: LoginSuccess) {
  const next = signedInWith(ctx.state, { at: proof.at, method: proof.method }, proof.sessionEpoch);
  await ctx.save(next, { regenerate: true });
  const response = json(200, {
    signedIn: true,
    method: proof.method,
    fallback: proof.fallback,
    ...(proof.backupCodesRemaining === undefined ? {} : { backupCodesRemaining: proof.backupCodesRemaining }),
  });
  if (proof.trustedDeviceToken !== undefined && proof.trustedDeviceExpiresAt !== undefined) {
    response.headers['set-cookie'] = [
      setCookie(ctx.http.cookie, proof.trustedDeviceToken, proof.trustedDeviceExpiresAt),
    ];
  }
  return response;
}

export const loginRoutes: Route[] = [
  route({
    name: 'csrf',
    method: 'GET',
    path: '/csrf',
    guard: 'session',
    csrf: false,
    noStore: true,
    body: {},
    handle: async (ctx) => json(200, { token: ctx.state.csrfToken }),
  }),
  route({
    name: 'login.state',
    method: 'GET',
    path: '/login',
    guard: 'pending',
    csrf: false,
    noStore: true,
    body: {},
    handle: async (ctx) => json(200, { ...viewOf(pendingIn(ctx)), csrfToken: ctx.state.csrfToken }),
  }),
  route({
    name: 'login.verify',
    method: 'POST',
    path: '/login/verify',
    guard: 'pending',
    csrf: true,
    noStore: true,
    body: { method, code: code(), deviceId: optionalText, rememberDevice: optionalBool },
    handle: async (ctx) => {
      const proof = await uniform(
        ctx.http.twoFactor.verifyLogin({
          loginId: pendingIn(ctx).loginId,
          method: ctx.body.method,
          code: ctx.body.code,
          deviceId: ctx.body.deviceId,
          rememberDevice: ctx.body.rememberDevice,
        }),
      );
      return completed(ctx, proof);
    },
  }),
  route({
    name: 'login.send',
    method: 'POST',
    path: '/login/send',
    guard: 'pending',
    csrf: true,
    noStore: true,
    body: { method: oobMethod, deviceId: optionalText },
    handle: async (ctx) => {
      const sent = await uniform(
        ctx.http.twoFactor.sendLoginCode({
          loginId: pendingIn(ctx).loginId,
          method: ctx.body.method,
          deviceId: ctx.body.deviceId,
        }),
      );
      return json(200, {
        expiresAt: sent.expiresAt,
        resendAfterMs: sent.resendAfterMs,
        channel: sent.channel,
      });
    },
  }),
  route({
    name: 'login.approval',
    method: 'POST',
    path: '/login/approval',
    guard: 'pending',
    csrf: true,
    noStore: true,
    body: { deviceId: optionalText },
    handle: async (ctx) => {
      const push = ctx.http.push;
      if (push === undefined)
        throw new SecondFactorError('method_not_allowed', 'Push approval is not set up.');
      const agent = header(ctx.request.headers, 'user-agent');
      const sent = await uniform(
        push.sendLoginApproval({
          loginId: pendingIn(ctx).loginId,
          ip: ctx.clientAddress,
          ...(agent === undefined ? {} : { device: agent.slice(0, 120) }),
          deviceId: ctx.body.deviceId,
        }),
      );
      return json(200, sent);
    },
  }),
  route({
    name: 'login.poll',
    method: 'POST',
    path: '/login/poll',
    guard: 'pending',
    csrf: true,
    noStore: true,
    body: {},
    handle: async (ctx) => {
      try {
        const proof = await ctx.http.twoFactor.verifyLogin({
          loginId: pendingIn(ctx).loginId,
          method: 'push',
          code: '',
        });
        return await completed(ctx, proof);
      } catch (error) {
        if (isSecondFactorError(error) && error.detail?.reason === 'approval_pending') {
          return json(202, { signedIn: false, pending: true });
        }
        throw error;
      }
    },
  }),
  route({
    name: 'login.defer',
    method: 'POST',
    path: '/login/defer',
    guard: 'pending',
    csrf: true,
    noStore: true,
    body: {},
    handle: async (ctx) => {
      // The service decides whether this login's set-up may be put off: the grace is the login's own.
      const deferred = await ctx.http.twoFactor.deferSetup({ loginId: pendingIn(ctx).loginId });
      const state = signedInWith(ctx.state, null, deferred.sessionEpoch);
      // The session lasts as long as the grace it was given, not longer than the next login would.
      const deferredUntil = ctx.http.now() + deferred.graceRemainingSeconds * 1000;
      await ctx.save(
        { ...state, signedIn: { secondFactor: null, sessionEpoch: deferred.sessionEpoch, deferredUntil } },
        { regenerate: true },
      );
      return json(200, { signedIn: true, graceRemainingSeconds: deferred.graceRemainingSeconds });
    },
  }),
  route({
    name: 'login.skipSetup',
    method: 'POST',
    path: '/login/skip-setup',
    guard: 'pending',
    csrf: true,
    noStore: true,
    body: {},
    handle: async (ctx) => {
      pendingIn(ctx);
      const { sessionEpoch } = await ctx.http.twoFactor.skipSetup(ctx.actor);
      await ctx.save(signedInWith(ctx.state, null, sessionEpoch), { regenerate: true });
      return json(200, { signedIn: true });
    },
  }),
  route({
    name: 'login.stepUp',
    method: 'POST',
    path: '/login/step-up',
    guard: 'signedIn',
    csrf: true,
    noStore: true,
    body: {},
    handle: async (ctx) => {
      // No trusted-device token: a step-up asks for a fresh second factor.
      const start = await ctx.http.twoFactor.startLogin(ctx.state.user);
      const pending = pendingOf(start, true);
      if (pending === null || pending.state !== 'challenge') return json(200, { state: start.state });
      await ctx.save({ ...ctx.state, pending });
      return json(200, { ...viewOf(pending), csrfToken: ctx.state.csrfToken });
    },
  }),
];
