/**
 * @module
 * The sides of the verify bench (`http-verify.ts`): how each server is started, how its pending logins
 * are prepared (outside any timed part; each request gets its own user and pending login), the request
 * its timed part sends, and the outcome each code must have.
 */
import { readFileSync } from 'node:fs';
import {
  appOf,
  BETTER_AUTH_BASE,
  betterAuthPending,
  betterAuthVerify,
  mapLimit,
  oursPending,
  oursVerify,
  type Prepared,
  type Reply,
  SESSION_COOKIE,
  send,
  wrongCode,
} from './http-client';
import type { EnrolledUser } from './http-ours-app';
import type { ServerConfig, ServerProcess } from './http-process';

const QUICK = process.env.BENCH_QUICK === '1';
/** Pending logins prepared at once. */
const PREPARE_IN_FLIGHT = 16;

/** A right code (the app's current one) or a wrong one. */
export type Code = 'right' | 'wrong';
export const CODES: readonly Code[] = ['right', 'wrong'];
/** What each code is answered, on every side. */
export const EXPECTED: Record<Code, number> = { right: 200, wrong: 401 };

/** Requests per run: warm-up and each round on 16 connections, then the run on one connection. */
export interface Sizes {
  readonly warmup: number;
  readonly round: number;
  readonly single: number;
}

/** One verify request, built just before it is sent. */
export type Build = () => Prepared;

/** A server under test. */
export interface Side {
  readonly name: string;
  readonly config: ServerConfig;
  readonly path: string;
  readonly sizes: Sizes;
  /** `count` pending logins for each code, in the order they are to be used. */
  prepare(server: ServerProcess, count: number): Promise<Record<Code, Build[]>>;
  /** Throws unless `reply` is the outcome `code` must have (a right code signs the user in). */
  check(server: ServerProcess, code: Code, reply: Reply): Promise<void>;
}

/** Sized for timed runs of about 1.5–4 s at the rates seen on a 2-core machine (ours 250–700 req/s, theirs 100–250). */
const OURS_SIZES: Sizes = QUICK
  ? { warmup: 64, round: 300, single: 40 }
  : { warmup: 200, round: 1000, single: 150 };
const THEIRS_SIZES: Sizes = QUICK
  ? { warmup: 32, round: 100, single: 20 }
  : { warmup: 60, round: 300, single: 60 };

const errorCode = (reply: Reply): unknown => (reply.body as { error?: { code?: unknown } }).error?.code;

/** Our endpoint, the host's sessions in express-session's memory store or in PostgreSQL. */
export function oursSide(sessions: 'memory' | 'postgres'): Side {
  return {
    name: `secondfactor, sessions in ${sessions === 'memory' ? 'memory' : 'PostgreSQL'}`,
    config: { kind: 'ours', sessions },
    path: '/2fa/login/verify',
    sizes: OURS_SIZES,
    prepare: async (server, count) => {
      const { users, at } = await server.call<{ users: EnrolledUser[]; at: number }>('enroll', 2 * count);
      const pending = await mapLimit(users, PREPARE_IN_FLIGHT, (user) =>
        oursPending(server.url, user.userId),
      );
      const builds = users.map((user, k) => {
        const app = appOf(user.manualKey);
        const prepared = oursVerify(pending[k]!, k < count ? app.generate(at) : wrongCode(app, at));
        return () => prepared;
      });
      return { right: builds.slice(0, count), wrong: builds.slice(count) };
    },
    check: async (server, code, reply) => {
      if (code === 'wrong') {
        if (errorCode(reply) !== 'otp_invalid')
          throw new Error(`wrong code answered ${JSON.stringify(reply.body)}`);
        return;
      }
      const session = reply.cookies.get(SESSION_COOKIE);
      const account = await send(`${server.url}/protected`, 'GET', {
        cookie: `${SESSION_COOKIE}=${session}`,
      });
      if ((reply.body as { signedIn?: unknown }).signedIn !== true || account.status !== 200) {
        throw new Error(`right code: ${JSON.stringify(reply.body)}, then GET /protected ${account.status}`);
      }
    },
  };
}

const BETTER_AUTH_VERSION = (
  JSON.parse(readFileSync(new URL('../node_modules/better-auth/package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/** better-auth's endpoint, its sessions in PostgreSQL (`http-better-auth-app.ts`). */
export const betterAuthSide: Side = {
  name: `better-auth ${BETTER_AUTH_VERSION}, twoFactor plugin`,
  config: { kind: 'better-auth' },
  path: `${BETTER_AUTH_BASE}/two-factor/verify-totp`,
  sizes: THEIRS_SIZES,
  prepare: async (server, count) => {
    const pending = await mapLimit(Array.from({ length: 2 * count }), PREPARE_IN_FLIGHT, () =>
      betterAuthPending(server.url),
    );
    // better-auth reads the real time: each code is the app's code of the moment the request is built.
    const builds = pending.map(
      (p, k): Build =>
        k < count
          ? () => betterAuthVerify(server.url, p, p.app.generate(Date.now()))
          : () => betterAuthVerify(server.url, p, wrongCode(p.app, Date.now())),
    );
    return { right: builds.slice(0, count), wrong: builds.slice(count) };
  },
  check: async (server, code, reply) => {
    if (code === 'wrong') {
      if ((reply.body as { code?: unknown }).code !== 'INVALID_CODE') {
        throw new Error(`wrong code answered ${JSON.stringify(reply.body)}`);
      }
      return;
    }
    const cookie = [...reply.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const session = await send(`${server.url}${BETTER_AUTH_BASE}/get-session`, 'GET', { cookie });
    if (
      typeof (reply.body as { token?: unknown }).token !== 'string' ||
      !(session.body as { user?: unknown }).user
    ) {
      throw new Error(
        `right code: ${JSON.stringify(reply.body)}, then get-session ${JSON.stringify(session.body)}`,
      );
    }
  },
};
