/**
 * The selfService product in Chromium, as a person with a phone uses it: 2FA switched on from the
 * security page by scanning the QR code, the backup codes page (Copy, Save to file, Print, "I confirm
 * the codes are saved"), later sign-ins with the app's code or a backup code.
 */
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningDemo, STEP_MS, startDemo } from '../demo';
import { type BrowserRun, useChromium } from './chromium';
import { arrivesAt, notShown, phoneCode, scanQr, shown, signIn, signOut } from './person';

const chromium = useChromium('selfService');

let demo: RunningDemo | undefined;
afterEach(async () => {
  expect(demo?.errors).toEqual([]);
  await demo?.close();
  demo = undefined;
});

/** Security page → set-up page → QR scanned → code typed; answers the URI and the backup codes page's codes. */
async function setUpByQr(run: BrowserRun, app: RunningDemo): Promise<{ uri: string; codes: string[] }> {
  const { page } = run;
  await page.getByTestId('enable-2fa').click();
  await arrivesAt(page, '/setup');
  await run.step('set-up page with the QR code');
  const uri = await scanQr(page);
  await page.getByTestId('code').fill(phoneCode(uri, app.clock()));
  await page.getByTestId('enable').click();
  await arrivesAt(page, '/backup-codes');
  const codes = await page.getByTestId('backup-codes').locator('li').allInnerTexts();
  await run.step('backup codes');
  return { uri, codes };
}

/** "I confirm the codes are saved", Continue: back on the security page. */
async function confirmSaved(run: BrowserRun): Promise<void> {
  await run.page.getByTestId('confirm-saved').check();
  await run.page.getByTestId('codes-continue').click();
  await arrivesAt(run.page, '/account');
  await shown(run.page.getByTestId('message'), 'Your backup codes are saved.');
}

describe.skipIf(chromium.skip)('selfService in Chromium', () => {
  it('sets up an app by scanning the QR code on the set-up page; the backup codes page copies, saves to a file and prints the codes, and "I confirm the codes are saved" returns to the security page', async ({
    task,
  }) => {
    demo = await startDemo('selfService');
    const run = await chromium.open(task.name, { permissions: ['clipboard-read', 'clipboard-write'] });
    const { page } = run;
    // Counts the calls of window.print, which still prints (headless Chromium returns at once).
    await page.addInitScript(() => {
      const print = window.print.bind(window);
      const counted = window as unknown as { printed: number };
      counted.printed = 0;
      window.print = () => {
        counted.printed += 1;
        print();
      };
    });
    await signIn(run, demo.url, 'ada', '/account');
    await shown(page.getByTestId('2fa-status'), 'Off');
    await run.step('security page, 2FA off');

    await page.getByTestId('enable-2fa').click();
    await arrivesAt(page, '/setup');
    await shown(page.getByRole('img', { name: 'QR code for secondfactor demo: ada@example.com' }));
    await run.step('set-up page with the QR code');
    const uri = await scanQr(page);
    expect(uri).toMatch(/^otpauth:\/\/totp\/secondfactor%20demo:ada%40example\.com\?/);
    await notShown(page.getByTestId('manual-key'));
    await page.getByTestId('cant-scan').click();
    await shown(page.getByTestId('account-name'), 'ada@example.com');
    const manualKey = (await page.getByTestId('manual-key').innerText()).replaceAll(' ', '');
    expect(new URL(uri).searchParams.get('secret')).toBe(manualKey);
    await run.step('can’t scan: account name and key');

    await page.getByTestId('code').fill(phoneCode(uri, demo.clock()));
    await page.getByTestId('enable').click();
    await arrivesAt(page, '/backup-codes');
    const codes = await page.getByTestId('backup-codes').locator('li').allInnerTexts();
    expect(codes).toHaveLength(10);
    await run.step('backup codes');

    await page.getByTestId('copy-codes').click();
    await shown(page.getByTestId('message'), 'Copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(codes.join('\n'));
    await run.step('copied');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('save-codes').click(),
    ]);
    const file = await readFile(await download.path(), 'utf8');
    expect(download.suggestedFilename()).toMatch(/\.txt$/);
    for (const code of codes) expect(file).toContain(code);
    expect(file).toContain('ada@example.com');

    await page.getByTestId('print-codes').click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    await shown(page.getByTestId('backup-codes'));
    await notShown(page.getByTestId('print-codes'));
    await notShown(page.getByTestId('acknowledge-form'));
    await run.step('printed page');
    await page.emulateMedia({ media: 'screen' });

    await confirmSaved(run);
    await shown(page.getByTestId('2fa-status'), 'On');
    await shown(page.getByTestId('backup-codes-remaining'), '10');
    expect(await page.getByTestId('codes-not-confirmed').count()).toBe(0);
    expect(await page.getByTestId('device').count()).toBe(1);
    await run.step('security page, 2FA on');
  });

  it('signs out and in again with the app\'s code; a wrong code shows "Otp invalid!" and the phone-clock hint', async ({
    task,
  }) => {
    demo = await startDemo('selfService');
    const run = await chromium.open(task.name);
    const { page } = run;
    await signIn(run, demo.url, 'ada', '/account');
    const { uri } = await setUpByQr(run, demo);
    await confirmSaved(run);
    await signOut(run);
    await run.step('signed out');

    await signIn(run, demo.url, 'ada', '/login/code');
    await notShown(page.getByTestId('clock-hint'));
    await run.step('the code page');
    demo.clock.advance(STEP_MS);
    const code = phoneCode(uri, demo.clock());
    await page.getByTestId('code').fill(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
    await page.getByTestId('verify').click();
    await shown(page.getByTestId('login-error'), 'Otp invalid!');
    await shown(page.getByTestId('clock-hint'));
    await run.step('Otp invalid! and the clock hint');

    await page.getByTestId('code').fill(code);
    await page.getByTestId('verify').click();
    await arrivesAt(page, '/account');
    await shown(page.getByTestId('signed-in-as'), 'ada');
    await shown(page.getByText('Signed in as ada (ada@example.com) with authenticator app.'));
    await run.step('signed in with the code');
  });

  it('turning 2FA off after five minutes asks "Confirm it\'s you": the password, then a fresh code; then 2FA is off', async ({
    task,
  }) => {
    demo = await startDemo('selfService');
    const run = await chromium.open(task.name);
    const { page } = run;
    await signIn(run, demo.url, 'ada', '/account');
    const { uri } = await setUpByQr(run, demo);
    await confirmSaved(run);
    demo.clock.advance(6 * 60_000);

    await page.getByTestId('disable-2fa').click();
    await shown(
      page.getByTestId('message'),
      'This change needs a recent proof that it is you: confirm it below, then try again.',
    );
    await shown(page.getByTestId('reauth-form'));
    await notShown(page.getByTestId('step-up'));
    await run.step('confirm it’s you: the password');
    await page.getByTestId('reauth-password').fill('ada-demo');
    await page.getByTestId('reauth-submit').click();
    await shown(page.getByTestId('message'), 'Password confirmed. Now confirm with a code.');
    await notShown(page.getByTestId('reauth-form'));
    await run.step('password confirmed, now a code');
    await page.getByTestId('step-up').click();
    await page.waitForURL(
      (url) => url.pathname === '/login/code' && url.searchParams.get('next') === '/account',
    );
    await shown(page.getByRole('heading', { level: 1 }), 'Confirm it’s you');
    await run.step('the code page of the step-up');
    demo.clock.advance(STEP_MS);
    await page.getByTestId('code').fill(phoneCode(uri, demo.clock()));
    await page.getByTestId('verify').click();
    await arrivesAt(page, '/account');

    await page.getByTestId('disable-2fa').click();
    await shown(page.getByTestId('message'), 'Two-factor authentication is off.');
    await shown(page.getByTestId('2fa-status'), 'Off');
    // The question is asked at each press: before the proof and after it.
    expect(run.dialogs).toEqual([
      'Turn off two-factor authentication? Your devices and backup codes are removed.',
      'Turn off two-factor authentication? Your devices and backup codes are removed.',
    ]);
    await run.step('2FA off');
  });

  it('"Remember this browser" skips the code at the next sign-in in this browser until "Forget remembered browsers"', async ({
    task,
  }) => {
    // The browser keeps the cookie only while its Expires, set from the demo's clock, is ahead of its own.
    demo = await startDemo('selfService', undefined, { startAt: Date.now() });
    const run = await chromium.open(task.name);
    const { page } = run;
    await signIn(run, demo.url, 'ada', '/account');
    const { uri } = await setUpByQr(run, demo);
    await confirmSaved(run);
    await signOut(run);

    await signIn(run, demo.url, 'ada', '/login/code');
    demo.clock.advance(STEP_MS);
    await page.getByTestId('code').fill(phoneCode(uri, demo.clock()));
    await page.getByTestId('remember-browser').check();
    await run.step('remember this browser ticked');
    await page.getByTestId('verify').click();
    await arrivesAt(page, '/account');
    await signOut(run);

    await signIn(run, demo.url, 'ada', '/account');
    await run.step('signed in without a code');
    const elsewhere = await run.otherPerson();
    await signIn(run, demo.url, 'ada', '/login/code', elsewhere);
    await run.step('another browser still asks for the code', elsewhere);

    await page.getByTestId('forget-browsers').click();
    await shown(page.getByTestId('message'), 'Forgotten: 1 remembered browser(s).');
    await run.step('browsers forgotten');
    await signOut(run);
    await signIn(run, demo.url, 'ada', '/login/code');
  });

  it('a backup code signs in once; the same code at the next sign-in shows "Otp invalid!"', async ({
    task,
  }) => {
    demo = await startDemo('selfService');
    const run = await chromium.open(task.name);
    const { page } = run;
    await signIn(run, demo.url, 'ada', '/account');
    const { codes } = await setUpByQr(run, demo);
    const backupCode = codes[3] ?? '';
    await confirmSaved(run);
    await signOut(run);

    await signIn(run, demo.url, 'ada', '/login/code');
    await page.getByTestId('use-backup_code').click();
    await page.waitForURL((url) => url.searchParams.get('use') === 'backup_code');
    await shown(page.getByTestId('challenge-method'), 'Backup code');
    await page.getByTestId('code').fill(backupCode);
    await run.step('a backup code typed');
    await page.getByTestId('verify').click();
    await arrivesAt(page, '/account');
    await shown(page.getByTestId('backup-codes-remaining'), '9');
    await run.step('signed in with the backup code, 9 left');
    await signOut(run);

    await signIn(run, demo.url, 'ada', '/login/code');
    await page.getByTestId('use-backup_code').click();
    await page.waitForURL((url) => url.searchParams.get('use') === 'backup_code');
    await page.getByTestId('code').fill(backupCode);
    await page.getByTestId('verify').click();
    await shown(page.getByTestId('login-error'), 'Otp invalid!');
    await notShown(page.getByTestId('clock-hint'));
    await run.step('the used backup code is refused');
    await page.goto(`${demo.url}/account`);
    expect(new URL(page.url()).pathname).toBe('/login/code');
  });
});
