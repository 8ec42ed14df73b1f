/**
 * @module
 * The host app the conformance suite talks to, on whichever Express the test file passes in: sessions
 * by express-session, a password step that calls `startSecondFactor`, a sign-out, two guarded routes,
 * and the router under `/2fa`.
 */
import type { AddressInfo } from 'node:net';
import { secondFactor } from '@secondfactor/express';
import { type ConformanceApp, type ConformanceHost, RECENT_MS } from '@secondfactor/http/testing';
import type express from 'express';
import session from 'express-session';

export const SESSION_COOKIE = 'sf.sid';

/** Starts the host app of `host` on 127.0.0.1 with `expressModule`. */
export async function startApp(
  expressModule: typeof express,
  host: ConformanceHost,
): Promise<ConformanceApp> {
  const app = expressModule();
  app.use(
    session({
      name: SESSION_COOKIE,
      secret: 'conformance-secret-not-for-production',
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: false },
    }),
  );
  const twoFactorRoutes = secondFactor(host.options);
  app.post('/password', expressModule.json(), async (req, res, next) => {
    try {
      const user = host.users.get(String((req.body as { userId?: unknown }).userId));
      if (user === undefined) {
        res.status(401).json({ error: 'wrong password' });
        return;
      }
      const { email, ...known } = user;
      res.json(await twoFactorRoutes.startSecondFactor(req, known, email === undefined ? {} : { email }));
    } catch (error) {
      next(error);
    }
  });
  app.post('/logout', (req, res, next) => {
    req.session.destroy((error) => (error ? next(error) : res.status(204).end()));
  });
  app.get('/protected', twoFactorRoutes.requireSecondFactor(), (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/sensitive', twoFactorRoutes.requireRecentSecondFactor(RECENT_MS), (_req, res) => {
    res.json({ ok: true });
  });
  app.use('/2fa', twoFactorRoutes.router);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
