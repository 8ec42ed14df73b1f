/**
 * @module
 * What every page of the demo reads: the service, the Express adapter, the product, the users and
 * tenants, the outbox of the development providers, and the clock; and the page guard, which sends a
 * browser to the step its session is at instead of answering JSON as the adapter's guards do.
 */
import type { Outbox } from '@secondfactor/channels';
import type { SecondFactorExpress, SecondFactorSession } from '@secondfactor/express';
import type { Actor } from '@secondfactor/policy';
import type { TwoFactor } from '@secondfactor/service';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { DemoUser, Product } from './products';
import type { DemoTelegram } from './telegram';
import type { Tenants } from './tenants';
import type { Users } from './users';

export interface DemoContext {
  twoFactor: TwoFactor;
  routes: SecondFactorExpress;
  product: Product;
  users: Users;
  tenants: Tenants;
  outbox: Outbox;
  /** Present when the product offers Telegram approval. */
  telegram: DemoTelegram | undefined;
  clock: () => number;
}

/** A signed-in page's view of its request. */
export interface PageLocals {
  state: SecondFactorSession;
  user: DemoUser;
  actor: Actor;
}

/** The actor of the service's calls for this session (the adapter builds the same one). */
export const actorOf = (state: SecondFactorSession): Actor => ({
  ...state.user,
  reauthenticatedAt: state.passwordAt,
  secondFactor: state.signedIn?.secondFactor ?? null,
});

/** Where a session that is not signed in belongs. */
export function entryOf(state: SecondFactorSession | null): string {
  if (state?.pending?.state === 'enroll' && state.signedIn === null) return '/setup';
  if (state?.pending?.state === 'challenge' && state.signedIn === null) return '/login/code';
  return '/login';
}

/**
 * Lets a signed-in session through (under the user's current session epoch, checklist I5) with
 * `res.locals.page`; sends any other browser to its step.
 */
export function signedInPage(ctx: DemoContext): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const state = ctx.routes.stateOf(req);
    const user = state === null ? undefined : ctx.users.find(state.user.id);
    if (state === null || state.signedIn === null || user === undefined) {
      res.redirect(303, entryOf(state));
      return;
    }
    const epoch = state.signedIn.sessionEpoch;
    const current = epoch === null ? Promise.resolve(true) : ctx.twoFactor.isSessionCurrent(user.id, epoch);
    current.then(async (isCurrent) => {
      if (!isCurrent) {
        await ctx.routes.signOut(req);
        res.redirect(303, '/login?signedOut=revoked');
        return;
      }
      const locals: PageLocals = { state, user, actor: actorOf(state) };
      res.locals.page = locals;
      next();
    }, next);
  };
}

/** The locals `signedInPage` set. */
export const pageOf = (res: Response): PageLocals => res.locals.page as PageLocals;

/** A local path to go on to (`?next=`), never another origin. */
export function localPath(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/(?![/\\])[\w\-./?=&%]*$/.test(value) ? value : fallback;
}

/**
 * The set-up pages' guard: a signed-in session, or one whose login waits for its first set-up (which
 * completes that login), as the adapter's `setup` guard.
 */
export function setupPage(ctx: DemoContext): RequestHandler {
  const signedIn = signedInPage(ctx);
  return (req, res, next) => {
    const state = ctx.routes.stateOf(req);
    const user = state === null ? undefined : ctx.users.find(state.user.id);
    if (
      state !== null &&
      user !== undefined &&
      state.signedIn === null &&
      state.pending?.state === 'enroll'
    ) {
      const locals: PageLocals = { state, user, actor: actorOf(state) };
      res.locals.page = locals;
      next();
      return;
    }
    signedIn(req, res, next);
  };
}
