/**
 * @module
 * The host app the conformance suites talk to, on whichever Express the test file passes in: sessions
 * by express-session (or the suite's own through `SessionBinding`), the password step and the guarded
 * routes of `hostRoutes`, a sign-out, and the router under `/2fa`, with or without an app-wide body
 * parser in front.
 */
import { type SessionBinding, secondFactor } from '@secondfactor/express';
import {
  type ConformanceApp,
  type ConformanceHost,
  GUARDED_ANSWER,
  hostRoutes,
  serveOnLoopback,
} from '@secondfactor/http/testing';
import type express from 'express';
import session from 'express-session';

export const SESSION_COOKIE = 'sf.sid';

/** How the host is wired. */
export interface AppShape {
  /** `express.json()`, `express.urlencoded()` or both app-wide, so the router gets bodies already parsed. */
  bodyParsers?: ('json' | 'urlencoded')[];
  /** A session of the host's own instead of express-session. */
  session?: SessionBinding;
}

/** Starts the host app of `host` on 127.0.0.1 with `expressModule`. */
export async function startApp(
  expressModule: typeof express,
  host: ConformanceHost,
  shape: AppShape = {},
): Promise<ConformanceApp> {
  const app = expressModule();
  if (shape.session === undefined) {
    app.use(
      session({
        name: SESSION_COOKIE,
        secret: 'conformance-secret-not-for-production',
        resave: false,
        saveUninitialized: false,
        cookie: { httpOnly: true, sameSite: 'lax', secure: false },
      }),
    );
  }
  // Limits above the adapter's, so that its own limit is what refuses a large body.
  for (const parser of shape.bodyParsers ?? []) {
    app.use(
      parser === 'json' ? expressModule.json({ limit: '1mb' }) : expressModule.urlencoded({ limit: '1mb' }),
    );
  }
  const twoFactorRoutes = secondFactor({
    ...host.options,
    ...(shape.session === undefined ? {} : { session: shape.session }),
  });
  const routes = hostRoutes(host, twoFactorRoutes);
  app.post('/password', expressModule.json(), (req, res, next) => {
    routes.password(req, req.body).then((answer) => res.status(answer.status).json(answer.body), next);
  });
  app.post('/logout', (req, res, next) => {
    req.session.destroy((error) => (error ? next(error) : res.status(204).end()));
  });
  for (const { path, guard } of routes.guarded) {
    app.get(path, guard, (_req, res) => {
      res.json(GUARDED_ANSWER);
    });
  }
  app.use('/2fa', twoFactorRoutes.router);
  return serveOnLoopback(app);
}
