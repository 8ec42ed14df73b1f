/**
 * @module
 * The Express host the HTTP benches run our adapter in: express-session (the given store, or its memory
 * store), a password step that calls `startSecondFactor`, the same tiny JSON route served twice —
 * `GET /open` without a guard and `GET /protected` behind `requireSecondFactor()` — and the router under
 * `/2fa`. Users get an authenticator app through the service, outside any timed part.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { base32Decode, createTotp } from '@secondfactor/core';
import { secondFactor } from '@secondfactor/express';
import { createPolicy, selfService } from '@secondfactor/policy';
import { createTwoFactor, type TwoFactor } from '@secondfactor/service';
import { type SecondFactorStore, SecretBox } from '@secondfactor/store';
import express, { type RequestHandler } from 'express';
import session from 'express-session';
import { SESSION_COOKIE } from './http-client';
import { type BenchClock, benchClock, nextCodeAt } from './service-setup';

/** 2025-11-23T12:00:00Z: the service's clock starts here and moves only when users are enrolled. */
const START = Date.UTC(2025, 10, 23, 12, 0, 0);
/** Enrollments in flight while users are prepared. */
const ENROLL_IN_FLIGHT = 16;

/** A running host. */
export interface OursApp {
  readonly url: string;
  readonly twoFactor: TwoFactor;
  readonly clock: BenchClock;
  /** Requests that reached the app so far (answered or not: a run's last ones may be cut off). */
  served(): number;
  close(): Promise<void>;
}

/** A user with an authenticator app, as the bench's client needs him: his id and the key he typed. */
export interface EnrolledUser {
  readonly userId: string;
  readonly manualKey: string;
}

/** Starts the host on 127.0.0.1 over `store`; the host's sessions in `sessions` (default: memory). */
export async function startOursApp(store: SecondFactorStore, sessions?: session.Store): Promise<OursApp> {
  const clock = benchClock(START);
  const twoFactor = createTwoFactor({
    store,
    secretBox: new SecretBox({ keys: { k1: new Uint8Array(randomBytes(32)) }, currentKeyId: 'k1' }),
    backupCodeKey: new Uint8Array(randomBytes(32)),
    policy: createPolicy(selfService),
    issuer: 'Bench',
    clock,
  });
  const twoFactorRoutes = secondFactor({ twoFactor, clock });
  const app = express();
  let served = 0;
  app.use((_req, _res, next) => {
    served += 1;
    next();
  });
  app.use(
    session({
      name: SESSION_COOKIE,
      secret: randomBytes(32).toString('hex'),
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: false },
      ...(sessions === undefined ? {} : { store: sessions }),
    }),
  );
  app.post('/password', express.json(), async (req, res, next) => {
    try {
      const userId = String((req.body as { userId?: unknown }).userId);
      res.json(await twoFactorRoutes.startSecondFactor(req, { id: userId, roles: [] }));
    } catch (error) {
      next(error);
    }
  });
  const route: RequestHandler = (_req, res) => {
    res.json({ ok: true });
  };
  app.get('/open', route);
  app.get('/protected', twoFactorRoutes.requireSecondFactor(), route);
  app.use('/2fa', twoFactorRoutes.router);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    twoFactor,
    clock,
    served: () => served,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * `count` new users, each with an authenticator app set up through the service (`beginEnrollment`, then
 * `confirmEnrollment` with the app's code); then the clock moves to the first time at which every one's
 * next code is fresh. Returns the users and that time, at which their login codes are to be computed.
 */
export async function enrollUsers(
  app: OursApp,
  count: number,
): Promise<{ users: EnrolledUser[]; at: number }> {
  const { twoFactor, clock } = app;
  const future = createPolicy(selfService).settings.otp.window.future;
  const users: EnrolledUser[] = [];
  let freshAt = clock();
  const enrollOne = async (): Promise<void> => {
    const user = { id: `bench-http-${randomBytes(8).toString('hex')}`, roles: [] as string[] };
    const actor = { ...user, reauthenticatedAt: null, secondFactor: null };
    const { enrollmentId, manualKey } = await twoFactor.beginEnrollment(actor, { method: 'totp' });
    const totpApp = createTotp(base32Decode(manualKey.replaceAll(' ', '')));
    const at = clock();
    const code = totpApp.generate(at);
    await twoFactor.confirmEnrollment(actor, { enrollmentId, code });
    freshAt = Math.max(freshAt, nextCodeAt({ user, app: totpApp, future, nextAt: 0 }, at, code));
    users.push({ userId: user.id, manualKey });
  };
  for (let done = 0; done < count; done += ENROLL_IN_FLIGHT) {
    await Promise.all(Array.from({ length: Math.min(ENROLL_IN_FLIGHT, count - done) }, enrollOne));
  }
  clock.advanceTo(freshAt);
  return { users, at: clock() };
}
