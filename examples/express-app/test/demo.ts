/**
 * @module
 * The demo app started in-process on a loopback port for a test: the product's users seeded, a memory
 * store unless one is given, and a clock the test moves by hand, so the codes an authenticator app
 * would show are computed from the key on the set-up page.
 */
import type { AddressInfo } from 'node:net';
import { base32Decode, totp } from '@secondfactor/core';
import { MemoryStore, type SecondFactorStore } from '@secondfactor/store';
import { createDemoApp, type DemoApp } from '../src/app';
import { type ProductName, productOf } from '../src/products';
import { Browser, find } from './browser';

export const STEP_MS = 30_000;

export interface TestClock {
  (): number;
  advance(ms: number): void;
}

export interface RunningDemo {
  url: string;
  clock: TestClock;
  demo: DemoApp;
  /** Errors the app logged (a test expects none). */
  errors: unknown[];
  browser(): Browser;
  close(): Promise<void>;
}

export interface StartOptions {
  /**
   * Where the clock starts (Unix ms). A real browser drops a cookie whose `Expires` (set from this
   * clock) is behind its own clock, so a test of "remember this browser" in Chromium starts at now.
   * @default 2025-11-23T12:00:00Z
   */
  startAt?: number | undefined;
}

export async function startDemo(
  name: ProductName,
  store?: SecondFactorStore,
  options: StartOptions = {},
): Promise<RunningDemo> {
  let time = options.startAt ?? Date.UTC(2025, 10, 23, 12, 0, 0);
  const clock = (() => time) as TestClock;
  clock.advance = (ms) => {
    time += ms;
  };
  const errors: unknown[] = [];
  const demo = createDemoApp({
    product: productOf(name),
    store: store ?? new MemoryStore(),
    secretKey: crypto.getRandomValues(new Uint8Array(32)),
    backupCodeKey: crypto.getRandomValues(new Uint8Array(32)),
    sessionSecret: 'demo-test-session-secret',
    clock,
    log: (error) => errors.push(error),
  });
  await demo.seed();
  const server = demo.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    clock,
    demo,
    errors,
    browser: () => new Browser(url),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The code an authenticator app set up with `manualKey` shows at `time`. */
export const appCode = (manualKey: string, time: number): string =>
  totp(base32Decode(manualKey.replaceAll(' ', '')), { time });

/** A six-digit code that is not `code`. */
export const otherCode = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** What the set-up page shows: the key under "Can't scan the QR code?" and the enrollment's id. */
export function setupOf(text: string): { manualKey: string; enrollmentId: string; accountName: string } {
  return {
    manualKey: find(text, /data-test="manual-key">([A-Z2-7 ]+)</, 'manual key'),
    enrollmentId: find(text, /name="enrollmentId" value="([^"]+)"/, 'enrollment id'),
    accountName: find(text, /data-test="account-name">([^<]+)</, 'account name'),
  };
}
