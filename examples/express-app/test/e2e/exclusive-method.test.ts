/**
 * The exclusiveMethod product in Chromium: SMS codes or an authenticator app, one at a time. A number
 * is verified with the SMS read in `/dev/outbox`, sign-ins send an SMS, the app is refused while SMS
 * is on and set up by its QR code once SMS is switched off; a colleague switches the verified office
 * number on without a code.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningDemo, STEP_MS, startDemo } from '../demo';
import { type BrowserRun, useChromium } from './chromium';
import { arrivesAt, outboxCode, phoneCode, scanQr, shown, signIn, signOut } from './person';

const chromium = useChromium('exclusiveMethod');
const OFFICE = '+15550100001';

let demo: RunningDemo | undefined;
afterEach(async () => {
  expect(demo?.errors).toEqual([]);
  await demo?.close();
  demo = undefined;
});

/** On the security page: the SMS section's "Send code", the code read in the outbox, "Verify". */
async function verifyNumber(run: BrowserRun, app: RunningDemo): Promise<void> {
  const { page } = run;
  const sms = page.getByTestId('address-sms');
  expect(await sms.getByTestId('address').inputValue()).toBe(OFFICE);
  await sms.getByTestId('add-address').click();
  await shown(page.getByTestId('message'), 'A code was sent by sms.');
  await shown(sms.getByTestId('verify-address-form'));
  await run.step('SMS sent to the number');
  const outbox = await run.newTab();
  const code = await outboxCode(outbox, app.url, OFFICE);
  await run.step('the SMS in the outbox', outbox);
  await outbox.close();
  await sms.getByTestId('address-code').fill(code);
  await sms.getByTestId('verify-address').click();
  await shown(page.getByTestId('message'), 'Two-factor authentication is on.');
  await shown(page.getByTestId('2fa-status'), 'On');
  await run.step('number verified, 2FA on');
}

describe.skipIf(chromium.skip)('exclusiveMethod in Chromium', () => {
  it('a user verifies his number with the SMS from the outbox, and each sign-in then sends an SMS code', async ({
    task,
  }) => {
    demo = await startDemo('exclusiveMethod');
    const run = await chromium.open(task.name);
    const { page } = run;
    await signIn(run, demo.url, 'ada', '/account');
    await verifyNumber(run, demo);
    await signOut(run);

    // One SMS to a number per 30 seconds: the verification's went just now.
    demo.clock.advance(STEP_MS);
    await signIn(run, demo.url, 'ada', '/login/code');
    await shown(page.getByTestId('challenge-method'), 'SMS');
    await page.getByTestId('send-code').click();
    await shown(page.getByTestId('sent'), /^Sent by sms\./);
    const outbox = await run.newTab();
    const code = await outboxCode(outbox, demo.url, OFFICE);
    await outbox.close();
    await page.getByTestId('code').fill(code);
    await run.step('the SMS code typed');
    await page.getByTestId('verify').click();
    await arrivesAt(page, '/account');
    await shown(page.getByText('Signed in as ada (ada@example.com) with SMS.'));
    await run.step('signed in with the SMS code');
  });

  it('the app is refused while SMS is on; once SMS is switched off the app is set up by its QR code and sign-ins ask for its code', async ({
    task,
  }) => {
    demo = await startDemo('exclusiveMethod');
    const run = await chromium.open(task.name);
    const { page } = run;
    await signIn(run, demo.url, 'ada', '/account');
    await verifyNumber(run, demo);

    await page.getByTestId('add-app').click();
    await arrivesAt(page, '/setup');
    await shown(
      page.getByTestId('refusal'),
      'One method at a time: switch SMS off in the device table first.',
    );
    expect(await page.getByTestId('qr').count()).toBe(0);
    await run.step('app refused while SMS is on');

    await page.goto(`${demo.url}/account`);
    await page.getByTestId('switch-off').click();
    await shown(page.getByTestId('message'), 'Switched off.');
    await shown(page.getByTestId('device-state'), 'Switched off');
    await run.step('SMS switched off');
    await page.getByTestId('enable-2fa').click();
    await arrivesAt(page, '/setup');
    await page.getByTestId('code').fill(phoneCode(await scanQr(page), demo.clock()));
    await page.getByTestId('enable').click();
    await arrivesAt(page, '/account');
    await shown(page.getByTestId('2fa-status'), 'On');
    await run.step('app set up');
    await signOut(run);

    demo.clock.advance(STEP_MS);
    await signIn(run, demo.url, 'ada', '/login/code');
    await shown(page.getByTestId('challenge-method'), 'Authenticator app');
    expect(await page.getByTestId('send-code').count()).toBe(0);
    await run.step('sign-in asks for the app');
  });

  it('a colleague adds the office number another user verified and switches it on without a code', async ({
    task,
  }) => {
    demo = await startDemo('exclusiveMethod');
    const run = await chromium.open(task.name);
    const { page } = run;
    await signIn(run, demo.url, 'ada', '/account');
    await verifyNumber(run, demo);
    await signOut(run);

    await signIn(run, demo.url, 'bob', '/account');
    const sms = page.getByTestId('address-sms');
    await sms.getByTestId('add-address').click();
    await shown(
      page.getByTestId('message'),
      'A colleague already verified this number: switch it on in the device table to use it.',
    );
    await shown(page.getByTestId('device-state'), 'Switched off');
    await run.step('the number, trusted, switched off');
    await page.getByTestId('switch-on').click();
    await shown(page.getByTestId('message'), 'Switched on.');
    await shown(page.getByTestId('2fa-status'), 'On');
    await run.step('switched on');
    await signOut(run);
    await signIn(run, demo.url, 'bob', '/login/code');
    await shown(page.getByTestId('challenge-method'), 'SMS');
  });
});
