/**
 * The demo's other methods over HTTP as the pages use them: an SMS number added and verified on the
 * security tab with the code read from /dev/outbox, a colleague's number switched on without a code
 * (exclusiveMethod); e-mail codes of a partner and the tenant settings (partnerPortal); a Telegram chat
 * linked and a sign-in approved through /dev/telegram (multiMethod).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Browser, find } from './browser';
import { appCode, type RunningDemo, setupOf, startDemo } from './demo';

let running: RunningDemo[] = [];
afterEach(async () => {
  for (const demo of running) {
    expect(demo.errors).toEqual([]);
    await demo.close();
  }
  running = [];
});

async function demoOf(name: Parameters<typeof startDemo>[0]): Promise<RunningDemo> {
  const demo = await startDemo(name);
  running.push(demo);
  return demo;
}

const signOut = (browser: Browser) => browser.form('/logout', { _csrf: browser.csrf });

/** The newest code in the outbox page's messages to `to`. */
async function outboxCode(browser: Browser, to: string): Promise<string> {
  const page = await browser.page('/dev/outbox');
  const row = find(
    page.text,
    new RegExp(`(data-to="${to.replace('+', '\\+')}">[\\s\\S]*?</tr>)`),
    `message to ${to}`,
  );
  return find(row, /(?<!\d)(\d{4,8})(?!\d)[^<]*<\/td>\s*<\/tr>/, 'code');
}

describe('exclusiveMethod: SMS', () => {
  it('a number added on the security tab is verified with the SMS code; each sign-in then sends one; a colleague switches the same number on without a code', async () => {
    const demo = await demoOf('exclusiveMethod');
    const ada = demo.browser();
    const account = await ada.signIn('ada');
    expect(account.text).toContain('data-test="address-sms"');
    const added = await ada.call('POST', '/2fa/enrollment/address', {
      method: 'sms',
      address: '+15550100001',
    });
    const { enrollmentId } = added.json<{ enrollmentId: string; status: string }>();
    const verified = await ada.call('POST', '/2fa/enrollment/address/verify', {
      enrollmentId,
      code: await outboxCode(ada, '+15550100001'),
    });
    expect(verified.json()).toMatchObject({ method: 'sms' });
    expect((await ada.page('/account')).text).toContain('data-test="2fa-status">On<');
    await signOut(ada);

    const challenge = await ada.signIn('ada');
    expect(challenge.text).toContain('data-test="send-code"');
    // One SMS to a number per 30 seconds: the verification's went just now.
    demo.clock.advance(30_000);
    expect((await ada.call('POST', '/2fa/login/send', { method: 'sms' })).json()).toMatchObject({
      channel: 'sms',
    });
    const code = await outboxCode(ada, '+15550100001');
    expect((await ada.call('POST', '/2fa/login/verify', { method: 'sms', code })).json()).toMatchObject({
      signedIn: true,
      method: 'sms',
    });

    const bob = demo.browser();
    await bob.signIn('bob');
    const trusted = await bob.call('POST', '/2fa/enrollment/address', {
      method: 'sms',
      address: '+15550100001',
    });
    const { credentialId } = trusted.json<{ status: string; credentialId: string }>();
    expect(trusted.json()).toMatchObject({ status: 'trusted' });
    expect((await bob.page('/account')).text).toContain('data-test="switch-on"');
    expect((await bob.call('POST', `/2fa/devices/${credentialId}/switch-on`, {})).status).toBe(200);
    await signOut(bob);
    expect(new URL((await bob.signIn('bob')).url).pathname).toBe('/login/code');
  });
});

describe('partnerPortal', () => {
  it('a partner with e-mail codes: the code goes to the account address and is read from the outbox; a user of a tenant that is not a partner signs in with his password alone', async () => {
    const demo = await demoOf('partnerPortal');
    const carol = demo.browser();
    const challenge = await carol.signIn('carol');
    expect(new URL(challenge.url).pathname).toBe('/login/code');
    expect(challenge.text).toContain('data-test="send-code"');
    await carol.call('POST', '/2fa/login/send', { method: 'email' });
    const code = await outboxCode(carol, 'carol@example.com');
    expect((await carol.call('POST', '/2fa/login/verify', { method: 'email', code })).json()).toMatchObject({
      method: 'email',
    });
    expect(new URL((await demo.browser().signIn('dave')).url).pathname).toBe('/account');
  });

  it('the tenant settings page: the partner admin turns app codes off and on for his users, and saves an SMTP server (shown without its password)', async () => {
    const demo = await demoOf('partnerPortal');
    const admin = demo.browser();
    // Acme requires app codes, of its admin too: he sets his app up first.
    const setup = setupOf((await admin.signIn('acme-admin')).text);
    await admin.call('POST', '/2fa/enrollment/totp/confirm', {
      enrollmentId: setup.enrollmentId,
      code: appCode(setup.manualKey, demo.clock()),
    });
    const settings = await admin.page('/tenant');
    expect(settings.text).toMatch(
      /data-test="feature-2fa_totp"[^>]*>|checked[^>]*data-test="feature-2fa_totp"/,
    );
    expect((await admin.call('PUT', '/tenant/features', { feature: '2fa_totp', on: false })).status).toBe(
      204,
    );
    expect(new URL((await demo.browser().signIn('ada')).url).pathname).toBe('/account');
    expect((await admin.call('PUT', '/tenant/features', { feature: '2fa_totp', on: true })).status).toBe(204);
    expect(new URL((await demo.browser().signIn('ada')).url).pathname).toBe('/setup');

    const smtp = { host: 'smtp.acme.example', port: 587, auth: { user: 'otp', pass: 'partner-secret' } };
    expect((await admin.call('PUT', '/2fa/tenant/smtp', { smtp })).status).toBeLessThan(300);
    const page = await admin.page('/tenant');
    expect(page.text).toContain('data-test="smtp-saved">smtp.acme.example:587<');
    expect(page.text).not.toContain('partner-secret');
    expect((await demo.browser().signIn('ada')).status).toBe(200);
    expect((await demo.browser().page('/tenant')).url).toMatch(/\/login$/);
  });
});

describe('multiMethod: Telegram', () => {
  it('links a chat through /dev/telegram and approves the next sign-in there', async () => {
    const demo = await demoOf('multiMethod');
    const ada = demo.browser();
    const account = await ada.signIn('ada');
    expect(account.text).toContain('data-test="link-telegram"');
    const linked = await ada.call('POST', '/2fa/enrollment/telegram', {});
    const { link, linkId } = linked.json<{ link: string; linkId: string }>();
    expect((await ada.call('GET', `/2fa/enrollment/telegram/${linkId}`)).json()).toMatchObject({
      state: 'pending',
    });
    const started = await ada.form('/dev/telegram/start', { link, chat: '4242' });
    expect(started.text).toContain('The chat is linked.');
    expect((await ada.call('GET', `/2fa/enrollment/telegram/${linkId}`)).json()).toMatchObject({
      state: 'linked',
    });
    await signOut(ada);

    const challenge = await ada.signIn('ada');
    expect(challenge.text).toContain('data-test="send-approval"');
    expect((await ada.call('POST', '/2fa/login/approval', {})).status).toBe(200);
    expect((await ada.call('POST', '/2fa/login/poll', {})).status).toBe(202);
    const chat = await ada.page('/dev/telegram');
    const messageId = find(chat.text, /data-message-id="(\d+)"/, 'approval message');
    const pressed = await ada.form('/dev/telegram/press', {
      messageId,
      button: find(chat.text, /data-test="telegram-button">(Approve[^<]*)</, 'Approve'),
    });
    expect(pressed.text).toContain('Approved');
    expect((await ada.call('POST', '/2fa/login/poll', {})).json()).toMatchObject({
      signedIn: true,
      method: 'push',
    });
  });
});
