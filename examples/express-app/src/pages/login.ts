/**
 * @module
 * Signing in: the password form (the host's own step, which then hands over to the adapter's
 * `startSecondFactor`), the second step's page (a code from the app, a backup code, "remember this
 * browser", the "Otp invalid!" answer with the phone-clock hint), re-entering the password before a
 * sensitive change, and signing out.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Method } from '@secondfactor/core';
import type { SecondFactorSession } from '@secondfactor/express';
import express, { type Express, type Request, type Response } from 'express';
import { type DemoContext, entryOf, localPath } from '../context';
import { html } from '../html';
import { sendPage } from '../layout';
import { asTwoFactorUser } from '../users';
import { codeForm, METHOD_NAMES, methodInText } from './code-form';
import { deliveredCodeForms } from './login-methods';

const SIGNED_OUT: Record<string, string> = {
  '1': 'You are signed out.',
  revoked: 'You were signed out: the two-factor settings of your account changed in another session.',
};

const sameText = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/** The session's CSRF token matches the one a form or a JSON call sent. */
export const csrfMatches = (state: SecondFactorSession | null, sent: unknown): boolean =>
  state !== null && typeof sent === 'string' && sameText(state.csrfToken, sent);

/**
 * A form posted from another site (the login form has no session yet, so no token): refuse it. The
 * browser's `Sec-Fetch-Site` decides where it is sent; otherwise `Origin`, which a browser sends as
 * `null` under some referrer policies (so `null` counts as another site).
 */
export function crossSite(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = req.get('origin');
  return origin !== undefined && origin !== `${req.protocol}://${req.get('host')}`;
}

function loginForm(ctx: DemoContext, res: Response, notice: string | null, status = 200, name = '') {
  sendPage(ctx, res, {
    title: 'Sign in',
    status,
    body: html`
      ${notice === null ? null : html`<p class="notice" role="alert" data-test="login-notice">${notice}</p>`}
      <form method="post" action="/login" class="card" data-test="login-form">
        <label for="username">User name</label>
        <input id="username" name="username" autocomplete="username" required value="${name}" data-test="username">
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required data-test="password">
        <button type="submit" data-test="sign-in">Sign in</button>
      </form>
      <p class="hint">The seeded users and their passwords are printed in the terminal that started the demo.</p>`,
  });
}

function challengePage(ctx: DemoContext, req: Request, res: Response, state: SecondFactorSession) {
  const pending = state.pending;
  if (pending === null) return;
  const next = localPath(req.query.next, '/account');
  const offered = [...pending.methods, ...pending.fallbackMethods];
  const asked = typeof req.query.use === 'string' ? req.query.use : undefined;
  const method = offered.find((m) => m === asked) ?? pending.methods[0] ?? pending.fallbackMethods[0];
  const others = offered.filter((m) => m !== method);
  const link = (m: Method) =>
    `/login/code?use=${m}${next === '/account' ? '' : `&next=${encodeURIComponent(next)}`}`;
  const codeMethod = method === 'totp' || method === 'hotp' || method === 'backup_code';
  sendPage(ctx, res, {
    title: pending.stepUp ? 'Confirm it’s you' : 'Two-factor authentication',
    state,
    body: html`
      <p data-test="challenge-method">${method === undefined ? '' : METHOD_NAMES[method]}</p>
      ${method !== undefined && codeMethod ? codeForm(ctx, state, method, next) : null}
      ${method !== undefined && !codeMethod ? deliveredCodeForms(ctx, state, method, next) : null}
      ${
        others.length > 0
          ? html`<ul class="alternatives" data-test="alternatives">
            ${others.map(
              (m) =>
                html`<li><a href="${link(m)}" data-test="use-${m}">${
                  m === 'backup_code' ? 'Use a backup code' : `Use ${methodInText(m)} instead`
                }</a></li>`,
            )}
          </ul>`
          : null
      }
      <p><a href="/login" data-test="start-over">Start over</a></p>`,
  });
}

export function loginPages(app: Express, ctx: DemoContext): void {
  const form = express.urlencoded({ extended: false, limit: '4kb' });

  app.get('/', (req, res) => {
    const state = ctx.routes.stateOf(req);
    res.redirect(303, state?.signedIn ? '/account' : entryOf(state));
  });

  app.get('/login', (req, res) => {
    const state = ctx.routes.stateOf(req);
    if (state?.signedIn) return res.redirect(303, '/account');
    const signedOut = typeof req.query.signedOut === 'string' ? SIGNED_OUT[req.query.signedOut] : undefined;
    loginForm(ctx, res, signedOut ?? null);
  });

  app.post('/login', form, async (req, res, next) => {
    try {
      if (crossSite(req)) return loginForm(ctx, res, 'This form must be sent from this site.', 403);
      const body = req.body as Record<string, unknown>;
      const name = typeof body.username === 'string' ? body.username.trim() : '';
      const password = typeof body.password === 'string' ? body.password : '';
      const user = ctx.users.checkPassword(name, password);
      if (user === null) return loginForm(ctx, res, 'Wrong user name or password.', 401, name);
      const start = await ctx.routes.startSecondFactor(req, asTwoFactorUser(user), { email: user.email });
      if (start.state === 'denied') {
        return loginForm(ctx, res, 'Your sign-in is blocked: an administrator must restore it.', 403, name);
      }
      res.redirect(303, start.state === 'done' ? '/account' : entryOf(ctx.routes.stateOf(req)));
    } catch (error) {
      next(error);
    }
  });

  app.get('/login/code', (req, res) => {
    const state = ctx.routes.stateOf(req);
    if (state?.pending?.state !== 'challenge')
      return res.redirect(303, state?.signedIn ? '/account' : entryOf(state));
    challengePage(ctx, req, res, state);
  });

  // A sensitive change asked for the password again (the policy's fresh proof): the page's script
  // sends it here, and the adapter records when it was entered.
  app.post('/account/reauthenticate', express.json({ limit: '4kb' }), async (req, res, next) => {
    try {
      const state = ctx.routes.stateOf(req);
      if (state?.signedIn == null || !csrfMatches(state, req.get('x-csrf-token'))) {
        return res.status(403).json({ error: { code: 'forbidden', message: 'Sign in again.' } });
      }
      const password = (req.body as { password?: unknown } | undefined)?.password;
      const user = ctx.users.checkPassword(state.user.id, typeof password === 'string' ? password : '');
      if (user === null) {
        return res.status(401).json({ error: { code: 'wrong_password', message: 'Wrong password.' } });
      }
      await ctx.routes.reauthenticated(req);
      res.status(204).end();
    } catch (error) {
      next(error);
    }
  });

  app.post('/logout', form, async (req, res, next) => {
    try {
      const state = ctx.routes.stateOf(req);
      if (state !== null && !csrfMatches(state, (req.body as { _csrf?: unknown })._csrf)) {
        return res.status(403).type('text').send('This form must be sent from this site.');
      }
      await ctx.routes.signOut(req);
      req.session.destroy((error) => {
        if (error) return next(error);
        res.clearCookie(SESSION_COOKIE).redirect(303, '/login?signedOut=1');
      });
    } catch (error) {
      next(error);
    }
  });
}

/** The name of the demo's session cookie. */
export const SESSION_COOKIE = 'sfdemo.sid';
