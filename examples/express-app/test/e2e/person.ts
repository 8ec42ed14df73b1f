/**
 * @module
 * What a person does in the demo's pages, as steps of a browser test: sign in and out with the forms,
 * read the QR code off the set-up page with a camera (a screenshot of the element, decoded by `jsqr`)
 * and compute the code a phone app shows from the `otpauth://` URI it carries, and read a delivered
 * code in `/dev/outbox`.
 */
import { parseKeyUri, totp } from '@secondfactor/core';
import jsQR from 'jsqr';
import type { Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { expect } from 'vitest';
import type { BrowserRun } from './chromium';

/**
 * Fills the sign-in form in `tab` (default: the run's first) and waits for the page the sign-in leads
 * to (`path`).
 */
export async function signIn(
  run: BrowserRun,
  base: string,
  user: string,
  path: string,
  tab: Page = run.page,
): Promise<void> {
  await tab.goto(`${base}/login`);
  await tab.getByTestId('username').fill(user);
  await tab.getByTestId('password').fill(`${user}-demo`);
  await run.step(`${user} signs in`, tab);
  await tab.getByTestId('sign-in').click();
  await arrivesAt(tab, path);
}

/** Presses "Sign out" and waits for the sign-in form. */
export async function signOut(run: BrowserRun, tab: Page = run.page): Promise<void> {
  await tab.getByTestId('logout').click();
  await arrivesAt(tab, '/login');
  await shown(tab.getByTestId('login-notice'), 'You are signed out.');
}

/** Waits until `tab` shows the page at `path` (a form's or the script's navigation). */
export async function arrivesAt(tab: Page, path: string): Promise<void> {
  await tab.waitForURL((url) => url.pathname === path);
}

/** The text of the QR code on the page, as a phone's camera reads it. */
export async function scanQr(page: Page): Promise<string> {
  const png = PNG.sync.read(await page.getByTestId('qr').screenshot());
  const found = jsQR(
    new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
    png.width,
    png.height,
  );
  if (found === null) throw new Error('no QR code could be read off the page');
  return found.data;
}

/** The code an authenticator app that scanned `uri` shows at `time` (Unix milliseconds). */
export function phoneCode(uri: string, time: number): string {
  const key = parseKeyUri(uri);
  if (key.type !== 'totp') throw new Error(`the QR code holds a ${key.type} key, not a TOTP key`);
  return totp(key.secret, { time, algorithm: key.algorithm, digits: key.digits, period: key.period });
}

/** Opens `/dev/outbox` in `tab` and reads the code of the newest message to `to`. */
export async function outboxCode(tab: Page, base: string, to: string): Promise<string> {
  await tab.goto(`${base}/dev/outbox`);
  const message = tab.locator(`[data-test="outbox-entry"][data-to="${to}"]`).first().locator('td').last();
  const code = /(?<!\d)(\d{4,8})(?!\d)/.exec(await message.innerText())?.[1];
  if (code === undefined) throw new Error(`no code in the outbox's newest message to ${to}`);
  return code;
}

/**
 * Waits until `locator` is visible (and, with `text`, shows exactly that text): the pages' script answers
 * after a round trip, so the page is read until it shows the answer.
 */
export async function shown(locator: Locator, text?: string | RegExp): Promise<void> {
  await locator.waitFor({ state: 'visible' });
  if (text === undefined) return;
  await expect
    .poll(async () => (await locator.innerText()).trim(), { timeout: 15_000 })
    [typeof text === 'string' ? 'toBe' : 'toMatch'](text);
}

/** Waits until nothing `locator` matches is visible. */
export async function notShown(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'hidden' });
}
