/**
 * The multiMethod product in Chromium: Telegram linked from the security page (the deep link opened in
 * `/dev/telegram`, which plays the Telegram app against the fake Bot API), then a sign-in approved
 * there while the sign-in page waits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemo } from '../demo';
import { useChromium } from './chromium';
import { arrivesAt, shown, signIn, signOut } from './person';

const chromium = useChromium('multiMethod');

let demo: RunningDemo | undefined;
afterEach(async () => {
  expect(demo?.errors).toEqual([]);
  await demo?.close();
  demo = undefined;
});

describe.skipIf(chromium.skip)('multiMethod in Chromium', () => {
  it('links Telegram from the security page through /dev/telegram, then approves the next sign-in there while the sign-in page waits', async ({
    task,
  }) => {
    demo = await startDemo('multiMethod');
    const run = await chromium.open(task.name);
    const { page, context } = run;
    await signIn(run, demo.url, 'ada', '/account');
    // Phone calls only back up another method: offered once one is on.
    await shown(page.getByTestId('address-voice').getByTestId('needs-primary'));
    await page.getByTestId('link-telegram').click();
    await shown(page.getByTestId('telegram-link'), /^https:\/\/t\.me\/SecondFactorDemoBot\?start=[\w-]+$/);
    await run.step('the link to open in Telegram');

    // "(Without a real bot: /dev/telegram.)" opens the stand-in for the Telegram app in a new tab.
    const [telegram] = await Promise.all([
      context.waitForEvent('page'),
      page.getByTestId('telegram-waiting').getByRole('link', { name: '/dev/telegram' }).click(),
    ]);
    await arrivesAt(telegram, '/dev/telegram');
    expect(await telegram.getByTestId('telegram-start-link').inputValue()).toBe(
      await page.getByTestId('telegram-link').innerText(),
    );
    await telegram.getByTestId('telegram-start').click();
    await shown(telegram.getByTestId('telegram-outcome'), 'The chat is linked.');
    await run.step('Start pressed in Telegram', telegram);

    // The security page polls the link (every 2 s) and reloads once the chat is linked.
    await shown(page.getByTestId('message'), 'Two-factor authentication is on.');
    await shown(page.getByTestId('2fa-status'), 'On');
    await shown(page.getByTestId('device'));
    await shown(page.getByTestId('address-voice').getByTestId('add-address'));
    await run.step('linked: 2FA on');
    await signOut(run);

    await signIn(run, demo.url, 'ada', '/login/code');
    await shown(page.getByTestId('challenge-method'), 'Telegram');
    await page.getByTestId('send-approval').click();
    await shown(page.getByTestId('approval-waiting'));
    await run.step('waiting for the answer in Telegram');

    await telegram.goto(`${demo.url}/dev/telegram`);
    await telegram
      .getByTestId('telegram-message')
      .first()
      .getByRole('button', { name: /^Approve/ })
      .click();
    await shown(telegram.getByTestId('telegram-outcome'), 'Approved: the sign-in goes on.');
    await run.step('Approve pressed in Telegram', telegram);

    await arrivesAt(page, '/account');
    await shown(page.getByText('Signed in as ada (ada@example.com) with Telegram.'));
    await run.step('signed in by the approval');
  });
});
