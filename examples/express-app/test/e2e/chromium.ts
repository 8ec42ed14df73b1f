/**
 * @module
 * Chromium for the browser tests: Debian's build (`/usr/bin/chromium`, or `CHROMIUM_PATH`) driven by
 * playwright-core, which never downloads a browser of its own. One browser per test file, one context
 * (cookies, storage, downloads) per test, a screenshot of each step under `test-artifacts/`, and every
 * uncaught error of the pages' script and every console error collected so that a test ends only
 * when there were none.
 *
 * Without Chromium the file's tests are skipped with one printed line; with `REQUIRE_BROWSER=1` (CI)
 * they fail instead.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page, selectors } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const REQUIRED = process.env.REQUIRE_BROWSER === '1';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

// Headless, and nothing that reaches for the network on its own: the machine has none but loopback.
// playwright-core gives every launch a fresh temporary profile (`--user-data-dir`) and removes it.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const VIEWPORT = { width: 1000, height: 760 };

// A refused code or password is a 4xx answer the page shows; Chromium also logs it to the console.
const EXPECTED_CONSOLE = /^Failed to load resource: the server responded with a status of 4\d\d/;

/** One test's browser context. */
export interface BrowserRun {
  context: BrowserContext;
  /** The first tab. */
  page: Page;
  /** Another tab in the same context (the same cookies), as a person opening a link in a new tab. */
  newTab(): Promise<Page>;
  /** A tab in a context of its own (its own cookies): another person at another computer. */
  otherPerson(): Promise<Page>;
  /** Saves a full-page screenshot of `tab` (default: the first) as `<nn>-<name>.png`. */
  step(name: string, tab?: Page): Promise<void>;
  /** The text of each `confirm()` / `alert()` the pages opened (all accepted). */
  dialogs: string[];
}

export interface ChromiumSuite {
  /** No Chromium and not required: the file's tests are skipped (the reason was printed). */
  skip: boolean;
  /** Opens the test's context; it is closed after the test. */
  open(testName: string, options?: { permissions?: string[] | undefined }): Promise<BrowserRun>;
}

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);

/**
 * Registers the file's browser: launched before its tests, closed after them. Call once, at the top of
 * a test file; `suite` names the artifacts folder and the skip notice.
 */
export function useChromium(suite: string): ChromiumSuite {
  const present = existsSync(CHROMIUM);
  const skip = !present && !REQUIRED;
  if (skip) {
    console.warn(
      `${suite}: browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium; REQUIRE_BROWSER=1 makes this a failure)`,
    );
  }
  let browser: Browser | undefined;
  let current: { run: BrowserRun; problems: string[]; others: BrowserContext[] } | undefined;

  beforeAll(async () => {
    if (skip) return;
    // The pages mark every form, field and button with `data-test` (README, "Pages").
    selectors.setTestIdAttribute('data-test');
    // Required and missing: each test fails in `open` (so each counts as failed, not skipped).
    if (present) browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async (context) => {
    const open = current;
    current = undefined;
    if (open === undefined) return;
    if (context.task.result?.state === 'fail') {
      await open.run.step('failed').catch(() => undefined);
    }
    for (const other of open.others) await other.close();
    await open.run.context.close();
    expect(open.problems, 'errors in the pages').toEqual([]);
  });

  return {
    skip,
    async open(testName, options = {}) {
      const launched = browser;
      if (launched === undefined) {
        throw new Error(
          `REQUIRE_BROWSER=1 and there is no Chromium at ${CHROMIUM} (apt-get install chromium)`,
        );
      }
      const folder = `${ARTIFACTS}${slug(suite)}/${slug(testName)}/`;
      await rm(folder, { recursive: true, force: true });
      await mkdir(folder, { recursive: true });
      const context = await launched.newContext({
        viewport: VIEWPORT,
        acceptDownloads: true,
        ...(options.permissions === undefined ? {} : { permissions: options.permissions }),
      });
      const others: BrowserContext[] = [];
      const problems: string[] = [];
      const dialogs: string[] = [];
      const watch = (tab: Page): void => {
        tab.on('pageerror', (error) => problems.push(`${tab.url()}: ${error.message}`));
        tab.on('console', (message) => {
          if (message.type() === 'error' && !EXPECTED_CONSOLE.test(message.text())) {
            problems.push(`${tab.url()}: console: ${message.text()}`);
          }
        });
        tab.on('dialog', (dialog) => {
          dialogs.push(dialog.message());
          void dialog.accept();
        });
      };
      // Every tab, the first one and those a link opens (`target="_blank"`), is watched.
      context.on('page', watch);
      const page = await context.newPage();
      let count = 0;
      const run: BrowserRun = {
        context,
        page,
        newTab: () => context.newPage(),
        async otherPerson() {
          const other = await launched.newContext({ viewport: VIEWPORT });
          others.push(other);
          other.on('page', watch);
          return other.newPage();
        },
        async step(name, tab = page) {
          count += 1;
          const file = `${folder}${String(count).padStart(2, '0')}-${slug(name)}.png`;
          await writeFile(file, await tab.screenshot({ fullPage: true }));
        },
        dialogs,
      };
      current = { run, problems, others };
      return run;
    },
  };
}
