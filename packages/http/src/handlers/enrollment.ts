/**
 * @module
 * Setting up a device, during the first login (the pending login is completed by the set-up) or from a
 * signed-in session: an authenticator app (Key URI, QR code as SVG and PNG data URL, manual key; then
 * the confirming code), an address for e-mail, SMS or voice codes (add, verify, resend), and a Telegram
 * chat (the deep link, then its status until the chat is linked). Every answer is `no-store` (I10).
 */
import { type Method, SecondFactorError } from '@secondfactor/core';
import { toDataUrl, toSvg } from '@secondfactor/qr';
import {
  DEFAULT_MESSAGES,
  type EnrollmentConfirmed,
  type OobMethod,
  type TelegramPush,
} from '@secondfactor/service';
import { code, oneOf, optionalText, text } from '../body';
import { secondFactorRequired } from '../guards';
import { json } from '../response';
import { type Route, type RouteContext, route } from '../route';
import { signedInWith } from './login-state';
import { sessionOptions } from './session-change';

const oobMethod = oneOf<OobMethod>(['email', 'sms', 'voice']);

/** What a confirmed set-up answers the page: never the epoch or the login, which stay in the session. */
interface Confirmed {
  credentialId: string;
  method: Method;
  backupCodes: string[] | null;
  backupCodesAcknowledgementRequired: boolean;
  createdAt: number;
  signedIn: boolean;
}

/**
 * The session after a confirmed set-up: signed in by it when it completed the first login (under a new
 * session id, I4), with the new epoch and the confirming proof when enabling signed the other sessions
 * out; and the answer for the page.
 */
async function confirmed(ctx: RouteContext<unknown>, done: EnrollmentConfirmed): Promise<Confirmed> {
  const { state } = ctx;
  if (done.login !== null) {
    const proof = { at: done.login.at, method: done.login.method };
    await ctx.save(signedInWith(state, proof, done.login.sessionEpoch), { regenerate: true });
  } else if (state.signedIn !== null) {
    const sessionEpoch = done.sessionEpoch ?? state.signedIn.sessionEpoch;
    // The newer proof stays: a later report of an older link never replaces a fresher step-up.
    const held = state.signedIn.secondFactor;
    const secondFactor = held !== null && held.at >= done.at ? held : { at: done.at, method: done.method };
    await ctx.save({ ...state, signedIn: { secondFactor, sessionEpoch } });
  }
  return {
    credentialId: done.credentialId,
    method: done.method,
    backupCodes: done.backupCodes,
    backupCodesAcknowledgementRequired: done.backupCodesAcknowledgementRequired,
    createdAt: done.at,
    signedIn: state.signedIn !== null || done.login !== null,
  };
}

/** The answer for a link this session did not make: the service's answer for an unknown one. */
const linkNotFound = (): SecondFactorError =>
  new SecondFactorError('enrollment_not_found', DEFAULT_MESSAGES.enrollmentNotFound, {
    detail: { reason: 'enrollment_not_found' },
  });

/** The service's Telegram methods, or `method_not_allowed` when it has no Telegram channel. */
const telegramOf = (ctx: RouteContext<unknown>): TelegramPush => {
  if (ctx.http.push === undefined)
    throw new SecondFactorError('method_not_allowed', 'Telegram is not set up.');
  return ctx.http.push;
};

/** The pending first login a set-up completes, when the session waits for one. */
const enrollLoginId = (ctx: RouteContext<unknown>): string | undefined =>
  ctx.state.signedIn === null && ctx.state.pending?.state === 'enroll'
    ? ctx.state.pending.loginId
    : undefined;

export const enrollmentRoutes: Route[] = [
  route({
    name: 'enrollment.totp.begin',
    method: 'POST',
    path: '/enrollment/totp',
    guard: 'setup',
    csrf: true,
    noStore: true,
    body: { label: optionalText, replaces: optionalText },
    handle: async (ctx) => {
      const start = await ctx.http.twoFactor.beginEnrollment(ctx.actor, {
        method: 'totp',
        label: ctx.body.label,
        replaces: ctx.body.replaces,
        accountName: ctx.http.accountName(ctx.state.user),
      });
      return json(200, {
        enrollmentId: start.enrollmentId,
        method: start.method,
        uri: start.uri,
        manualKey: start.manualKey,
        accountName: start.accountName,
        issuer: start.issuer,
        expiresAt: start.expiresAt,
        qr: { svg: toSvg(start.uri), png: await toDataUrl(start.uri) },
      });
    },
  }),
  route({
    name: 'enrollment.totp.confirm',
    method: 'POST',
    path: '/enrollment/totp/confirm',
    guard: 'setup',
    csrf: true,
    noStore: true,
    body: { enrollmentId: text(), code: code(), replaces: optionalText },
    handle: async (ctx) => {
      const done = await ctx.http.twoFactor.confirmEnrollment(ctx.actor, {
        enrollmentId: ctx.body.enrollmentId,
        code: ctx.body.code,
        replaces: ctx.body.replaces,
        loginId: enrollLoginId(ctx),
        ...sessionOptions(ctx),
      });
      return json(200, await confirmed(ctx, done));
    },
  }),
  route({
    name: 'enrollment.address.add',
    method: 'POST',
    path: '/enrollment/address',
    guard: 'setup',
    csrf: true,
    noStore: true,
    body: { method: oobMethod, address: text(320), label: optionalText, replaces: optionalText },
    handle: async (ctx) => {
      // `code_sent` (`enrollmentId`, `expiresAt`, `resendAfterMs`, `channel`), or `trusted` (`credentialId`,
      // `method`: a device switched off, for `switch-on`); nothing in either is secret.
      const added = await ctx.http.twoFactor.addAddress(ctx.actor, {
        method: ctx.body.method,
        address: ctx.body.address,
        label: ctx.body.label,
        replaces: ctx.body.replaces,
      });
      return json(200, added);
    },
  }),
  route({
    name: 'enrollment.address.verify',
    method: 'POST',
    path: '/enrollment/address/verify',
    guard: 'setup',
    csrf: true,
    noStore: true,
    body: { enrollmentId: text(), code: code() },
    handle: async (ctx) => {
      const done = await ctx.http.twoFactor.verifyAddress(ctx.actor, {
        enrollmentId: ctx.body.enrollmentId,
        code: ctx.body.code,
        loginId: enrollLoginId(ctx),
        ...sessionOptions(ctx),
      });
      return json(200, await confirmed(ctx, done));
    },
  }),
  route({
    name: 'enrollment.address.resend',
    method: 'POST',
    path: '/enrollment/address/resend',
    guard: 'setup',
    csrf: true,
    noStore: true,
    body: { enrollmentId: text() },
    handle: async (ctx) => {
      const sent = await ctx.http.twoFactor.resendAddressCode(ctx.actor, {
        enrollmentId: ctx.body.enrollmentId,
      });
      return json(200, {
        enrollmentId: sent.enrollmentId,
        expiresAt: sent.expiresAt,
        resendAfterMs: sent.resendAfterMs,
        channel: sent.channel,
      });
    },
  }),
  route({
    name: 'enrollment.telegram.link',
    method: 'POST',
    path: '/enrollment/telegram',
    guard: 'setup',
    csrf: true,
    noStore: true,
    body: { label: optionalText },
    handle: async (ctx) => {
      const link = await telegramOf(ctx).linkTelegram(ctx.actor, {
        label: ctx.body.label,
        loginId: enrollLoginId(ctx),
        ...sessionOptions(ctx),
      });
      // The session that made the link is the one that learns its outcome (the `link` guard).
      await ctx.save({ ...ctx.state, linkId: link.linkId });
      return json(200, { link: link.link, expiresAt: link.expiresAt, linkId: link.linkId });
    },
  }),
  route({
    name: 'enrollment.telegram.status',
    method: 'GET',
    path: '/enrollment/telegram/:linkId',
    guard: 'link',
    csrf: false,
    noStore: true,
    body: {},
    handle: async (ctx) => {
      const linkId = text()('params.linkId', ctx.request.params.linkId);
      // Only the session that made the link learns its outcome: its id is kept there, as a login's is (I2).
      if (ctx.state.linkId !== linkId) throw linkNotFound();
      const status = await telegramOf(ctx).linkTelegramStatus(ctx.actor, { linkId });
      // A session signed out since gets only the answer that gives it the epoch its own link moved on.
      if (ctx.revoked && (status.state !== 'linked' || status.sessionEpoch === null)) {
        throw secondFactorRequired('revoked');
      }
      if (status.state === 'pending') return json(200, { state: 'pending', expiresAt: status.expiresAt });
      const { state: _linked, ...done } = status;
      return json(200, { state: 'linked', ...(await confirmed(ctx, done)) });
    },
  }),
];
