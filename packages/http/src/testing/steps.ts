/**
 * @module
 * Steps the conformance tests share, each over HTTP only: set up an authenticator app, sign in with it,
 * and the worlds a test opened, closed after it.
 */
import { afterEach, expect } from 'vitest';
import type { Browser } from './client';
import {
  appCode,
  type HttpConformanceTarget,
  openWorld,
  STEP_MS,
  type World,
  type WorldOptions,
} from './world';

const open: World[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((world) => world.close()));
});

/** A host for this test, closed after it. */
export async function world(target: HttpConformanceTarget, options: WorldOptions): Promise<World> {
  const opened = await openWorld(target, options);
  open.push(opened);
  return opened;
}

/** An authenticator app set up by a browser whose session may set one up. */
export interface App {
  manualKey: string;
  backupCodes: string[];
  credentialId: string;
}

/** Sets up an authenticator app over HTTP (from a signed-in session, or the first-login set-up). */
export async function enrollApp(w: World, browser: Browser): Promise<App> {
  const begin = await browser.post('/2fa/enrollment/totp', { label: 'Phone' });
  expect(begin.status, begin.text).toBe(200);
  const confirm = await browser.post('/2fa/enrollment/totp/confirm', {
    enrollmentId: begin.json.enrollmentId,
    code: appCode(begin.json.manualKey, w.clock()),
  });
  expect(confirm.status, confirm.text).toBe(200);
  return {
    manualKey: begin.json.manualKey,
    backupCodes: confirm.json.backupCodes ?? [],
    credentialId: confirm.json.credentialId,
  };
}

/** Password, then the app's code of the next step: a signed-in session. */
export async function signInWithApp(w: World, browser: Browser, userId: string, app: App): Promise<void> {
  w.clock.advance(STEP_MS);
  const start = await browser.password(userId);
  expect(start.json.state).toBe('challenge');
  const verify = await browser.post('/2fa/login/verify', {
    method: 'totp',
    code: appCode(app.manualKey, w.clock()),
  });
  expect(verify.status, verify.text).toBe(200);
}

/** A user with an authenticator app, signed out again: his next password step asks for a code. */
export async function userWithApp(w: World, userId: string): Promise<App> {
  const browser = w.browser();
  expect((await browser.password(userId)).json.state).toBe('done');
  const app = await enrollApp(w, browser);
  await browser.logout();
  return app;
}

/** The error code of an answer. */
export const errorCode = (reply: { json: { error?: { code?: string } } | undefined }): string | undefined =>
  reply.json?.error?.code;
