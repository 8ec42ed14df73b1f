/**
 * @module
 * The better-auth side of the verify bench: an Express 5 app serving better-auth (email and password,
 * and its `twoFactor` plugin) under `/api/auth`, on PostgreSQL through a `pg` Pool whose connections
 * work in a schema of their own; its tables are made by better-auth's own migrations. Its rate limit and
 * its account lockout are off (issue 12), so every request does the whole verification. Two settings
 * only make preparing users cheaper and are stated with the results: the password hash (SHA-256 instead
 * of scrypt; no request of the timed part checks a password) and `skipVerificationOnEnable` (the same
 * verified TOTP row without a first code).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import { twoFactor } from 'better-auth/plugins';
import express from 'express';
import type pg from 'pg';
import { BETTER_AUTH_BASE } from './http-client';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A running app. */
export interface BetterAuthApp {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts better-auth on 127.0.0.1 over `pool` (whose `search_path` is its schema), migrated first. */
export async function startBetterAuthApp(pool: pg.Pool): Promise<BetterAuthApp> {
  const app = express();
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const options = {
    baseURL: url,
    basePath: BETTER_AUTH_BASE,
    secret: randomBytes(32).toString('hex'),
    database: pool,
    telemetry: { enabled: false },
    logger: { level: 'error' as const },
    rateLimit: { enabled: false },
    emailAndPassword: {
      enabled: true,
      password: {
        hash: async (password: string) => sha256(password),
        verify: async ({ hash, password }: { hash: string; password: string }) =>
          timingSafeEqual(Buffer.from(hash), Buffer.from(sha256(password))),
      },
    },
    plugins: [twoFactor({ skipVerificationOnEnable: true, accountLockout: { enabled: false } })],
  };
  const { runMigrations } = await getMigrations(options);
  await runMigrations();
  const auth = betterAuth(options);
  app.all(`${BETTER_AUTH_BASE}/*splat`, toNodeHandler(auth));
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
