/**
 * The partnerPortal product in Chromium: a partner's user signs in with a code sent by e-mail (read in
 * `/dev/outbox` in another tab), and the partner's admin switches his users' methods and saves the
 * SMTP server on the tenant settings page.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemo } from '../demo';
import { useChromium } from './chromium';
import { arrivesAt, notShown, outboxCode, phoneCode, scanQr, shown, signIn, signOut } from './person';

const chromium = useChromium('partnerPortal');

let demo: RunningDemo | undefined;
afterEach(async () => {
  expect(demo?.errors).toEqual([]);
  await demo?.close();
  demo = undefined;
});

describe.skipIf(chromium.skip)('partnerPortal in Chromium', () => {
  it('a user of a partner with e-mail codes presses "Send code" and signs in with the code read in the outbox', async ({
    task,
  }) => {
    demo = await startDemo('partnerPortal');
    const run = await chromium.open(task.name);
    const { page } = run;
    await signIn(run, demo.url, 'carol', '/login/code');
    await shown(page.getByTestId('challenge-method'), 'E-mail');
    await page.getByTestId('send-code').click();
    await shown(page.getByTestId('sent'), /^Sent by email\. A new code can be sent in \d+ s\.$/);
    await run.step('code sent');

    const outbox = await run.newTab();
    const code = await outboxCode(outbox, demo.url, 'carol@example.com');
    await run.step('the e-mail in the outbox', outbox);
    await outbox.close();

    await page.getByTestId('code').fill(code);
    await page.getByTestId('verify').click();
    await arrivesAt(page, '/account');
    await shown(page.getByText('Signed in as carol (carol@example.com) with e-mail.'));
    await run.step('signed in with the e-mail code');
  });

  it("the partner's admin turns app codes off and on for his users on the tenant settings page and saves an SMTP server, shown without its password", async ({
    task,
  }) => {
    demo = await startDemo('partnerPortal');
    const run = await chromium.open(task.name);
    const { page } = run;
    // Acme's users sign in with app codes, its admin too: he sets his app up first.
    await signIn(run, demo.url, 'acme-admin', '/setup');
    await page.getByTestId('code').fill(phoneCode(await scanQr(page), demo.clock()));
    await page.getByTestId('enable').click();
    await arrivesAt(page, '/account');
    await shown(page.getByTestId('2fa-status'), 'On');
    await run.step('admin set up');

    await page.getByTestId('nav-tenant').click();
    await arrivesAt(page, '/tenant');
    const appCodes = page.getByTestId('feature-2fa_totp');
    expect(await appCodes.isChecked()).toBe(true);
    await appCodes.uncheck();
    await shown(page.getByTestId('message'), 'Saved: the next sign-in of your users follows it.');
    await run.step('app codes off');
    const ada = await run.otherPerson();
    await signIn(run, demo.url, 'ada', '/account', ada);
    await shown(ada.getByTestId('2fa-status'), 'Off');
    await run.step('ada signs in with her password alone', ada);
    await signOut(run, ada);

    await appCodes.check();
    await shown(page.getByTestId('message'), 'Saved: the next sign-in of your users follows it.');
    await signIn(run, demo.url, 'ada', '/setup', ada);
    await run.step('ada must set up an app', ada);

    await page.getByTestId('smtp-host').fill('smtp.acme.example');
    await page.getByTestId('smtp-port').fill('587');
    await page.getByTestId('smtp-user').fill('otp');
    await page.getByTestId('smtp-pass').fill('partner-secret');
    await page.getByTestId('smtp-save').click();
    await shown(page.getByTestId('message'), 'The SMTP server is saved.');
    await shown(page.getByTestId('smtp-saved'), 'smtp.acme.example:587');
    expect(await page.getByTestId('smtp-pass').inputValue()).toBe('');
    expect(await page.content()).not.toContain('partner-secret');
    await run.step('SMTP server saved');

    await page.getByTestId('smtp-remove').click();
    await shown(page.getByTestId('message'), 'The SMTP server is removed.');
    await notShown(page.getByTestId('smtp-saved'));
    expect(run.dialogs).toEqual(['Remove the SMTP server? E-mail codes stop until a new one is saved.']);
  });
});
