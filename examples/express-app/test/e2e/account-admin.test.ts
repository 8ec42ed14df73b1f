/**
 * The accountAdmin product in Chromium: an account's administrator manages 2FA per user from the user
 * table ("Use 2FA", "Can toggle 2FA", reset), and the user meets the result at his next sign-in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemo } from '../demo';
import { type BrowserRun, useChromium } from './chromium';
import { arrivesAt, notShown, phoneCode, scanQr, shown, signIn, signOut } from './person';

const chromium = useChromium('accountAdmin');

let demo: RunningDemo | undefined;
afterEach(async () => {
  expect(demo?.errors).toEqual([]);
  await demo?.close();
  demo = undefined;
});

/** The first-login set-up page: QR scanned, the code typed; lands on the security page with 2FA on. */
async function setUpAtSignIn(run: BrowserRun, app: RunningDemo): Promise<void> {
  const { page } = run;
  await shown(page.getByTestId('qr'));
  await run.step('first-login set-up');
  await page.getByTestId('code').fill(phoneCode(await scanQr(page), app.clock()));
  await page.getByTestId('enable').click();
  await arrivesAt(page, '/account');
  await shown(page.getByTestId('message'), 'Two-factor authentication is on.');
  await shown(page.getByTestId('2fa-status'), 'On');
  await run.step('set up, 2FA on');
}

/** The row of `user` in the admin's user table. */
const rowOf = (run: BrowserRun, user: string) =>
  run.page.locator(`[data-test="user-row"][data-user-id="${user}"]`);

describe.skipIf(chromium.skip)('accountAdmin in Chromium', () => {
  it('an admin resets a user from the user table; the user sets up again at his next sign-in', async ({
    task,
  }) => {
    demo = await startDemo('accountAdmin');
    const run = await chromium.open(task.name);
    const { page } = run;
    await signIn(run, demo.url, 'ada', '/setup');
    await setUpAtSignIn(run, demo);
    await signOut(run);

    await signIn(run, demo.url, 'acme-admin', '/account');
    await page.getByTestId('nav-admin').click();
    await arrivesAt(page, '/admin/users');
    await shown(rowOf(run, 'ada').getByTestId('mark'), '✓ On');
    expect(await page.locator('[data-test="user-row"][data-user-id="carol"]').count()).toBe(0);
    await run.step('user table: ada has 2FA');
    await rowOf(run, 'ada').getByTestId('reset').click();
    await shown(
      page.getByTestId('message'),
      'ada sets up two-factor authentication again at the next sign-in.',
    );
    expect(run.dialogs).toEqual([
      'Reset the two-factor authentication of ada? He sets it up again at his next sign-in.',
    ]);
    await shown(rowOf(run, 'ada').getByTestId('mark'), '✗ Off');
    await run.step('ada reset');
    await signOut(run);

    await signIn(run, demo.url, 'ada', '/setup');
    await setUpAtSignIn(run, demo);
  });

  it('an admin switches "Use 2FA" on and "Can toggle 2FA" off for a user: the user sets up at his next sign-in and cannot switch 2FA off', async ({
    task,
  }) => {
    demo = await startDemo('accountAdmin');
    const run = await chromium.open(task.name);
    const { page } = run;
    await signIn(run, demo.url, 'bob', '/account');
    await shown(page.getByTestId('2fa-status'), 'Off');
    await signOut(run);

    await signIn(run, demo.url, 'acme-admin', '/account');
    await page.goto(`${demo.url}/admin/users`);
    await rowOf(run, 'bob').getByTestId('use-2fa').selectOption('true');
    await shown(page.getByTestId('message'), 'Use 2FA for bob: yes.');
    await rowOf(run, 'bob').getByTestId('may-toggle').uncheck();
    await shown(page.getByTestId('message'), 'Can toggle 2FA for bob: no.');
    await run.step('bob: use 2FA, may not toggle');
    await page.reload();
    expect(await rowOf(run, 'bob').getByTestId('use-2fa').inputValue()).toBe('true');
    expect(await rowOf(run, 'bob').getByTestId('may-toggle').isChecked()).toBe(false);
    await signOut(run);

    await signIn(run, demo.url, 'bob', '/setup');
    await notShown(page.getByTestId('skip-setup'));
    await setUpAtSignIn(run, demo);
    await shown(page.getByTestId('may-not-toggle'));
    await notShown(page.getByTestId('disable-2fa'));
  });
});
