/**
 * The demo app driven over HTTP the way its pages do: the password form, the set-up page read for its
 * key (as a person typing it into an app would), the JSON endpoints the pages' script calls with the
 * page's CSRF token, codes computed from that key on the injected clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Browser } from './browser';
import { appCode, otherCode, type RunningDemo, STEP_MS, setupOf, startDemo } from './demo';

let running: RunningDemo[] = [];
afterEach(async () => {
  for (const demo of running) {
    expect(demo.errors).toEqual([]);
    await demo.close();
  }
  running = [];
});

async function demoOf(...args: Parameters<typeof startDemo>): Promise<RunningDemo> {
  const demo = await startDemo(...args);
  running.push(demo);
  return demo;
}

const signOut = (browser: Browser) => browser.form('/logout', { _csrf: browser.csrf });

/** Signs in, opens the set-up page, confirms the app's code; answers the key and the confirmation. */
async function setUpApp(demo: RunningDemo, browser: Browser) {
  const page = await browser.page('/setup');
  expect(page.status).toBe(200);
  const setup = setupOf(page.text);
  const confirmed = await browser.call('POST', '/2fa/enrollment/totp/confirm', {
    enrollmentId: setup.enrollmentId,
    code: appCode(setup.manualKey, demo.clock()),
  });
  expect(confirmed.status).toBe(200);
  return { ...setup, confirmed: confirmed.json<{ backupCodes: string[] | null; createdAt: number }>() };
}

/** Signs in with the password and the app's code of the next time step. */
async function signInWithCode(demo: RunningDemo, browser: Browser, user: string, manualKey: string) {
  const page = await browser.signIn(user);
  expect(new URL(page.url).pathname).toBe('/login/code');
  demo.clock.advance(STEP_MS);
  return browser.call('POST', '/2fa/login/verify', {
    method: 'totp',
    code: appCode(manualKey, demo.clock()),
  });
}

describe('selfService', () => {
  it('a user enables 2FA on the security page with the key under "Can\'t scan the QR code?", gets ten backup codes, saves them to a file and confirms them saved', async () => {
    const demo = await demoOf('selfService');
    const ada = demo.browser();
    const account = await ada.signIn('ada');
    expect(new URL(account.url).pathname).toBe('/account');
    expect(account.text).toContain('data-test="2fa-status">Off<');
    expect(account.text).toContain('data-test="enable-2fa"');

    const page = await ada.page('/setup');
    expect(page.text).toMatch(
      /<div class="qr" role="img" aria-label="QR code for secondfactor demo: ada@example.com" data-test="qr">\s*<svg/,
    );
    expect(page.text).toContain('Can’t scan the QR code?');
    const setup = setupOf(page.text);
    expect(setup.accountName).toBe('ada@example.com');
    const code = appCode(setup.manualKey, demo.clock());
    const wrong = await ada.call('POST', '/2fa/enrollment/totp/confirm', {
      enrollmentId: setup.enrollmentId,
      code: otherCode(code),
    });
    expect([wrong.status, wrong.json().error]).toEqual([
      401,
      { code: 'otp_invalid', message: 'Otp invalid!' },
    ]);
    const confirmed = await ada.call('POST', '/2fa/enrollment/totp/confirm', {
      enrollmentId: setup.enrollmentId,
      code,
    });
    const { backupCodes, createdAt } = confirmed.json<{ backupCodes: string[]; createdAt: number }>();
    expect(backupCodes).toHaveLength(10);

    const codesPage = await ada.page('/backup-codes');
    for (const button of ['save-codes', 'print-codes', 'copy-codes', 'confirm-saved']) {
      expect(codesPage.text).toContain(`data-test="${button}"`);
    }
    expect(codesPage.text).toContain('I confirm the codes are saved');
    const file = await ada.call('POST', '/2fa/backup-codes/download', { codes: backupCodes, createdAt });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(file.text).toContain(backupCodes[0]);
    expect(file.text).toContain('ada@example.com');

    const before = await ada.page('/account');
    expect(before.text).toContain('data-test="codes-not-confirmed"');
    expect((await ada.call('POST', '/2fa/backup-codes/acknowledge', {})).status).toBe(204);
    const after = await ada.page('/account');
    expect(after.text).toContain('data-test="2fa-status">On<');
    expect(after.text).toContain('data-test="backup-codes-remaining">10<');
    expect(after.text).not.toContain('data-test="codes-not-confirmed"');
    expect(after.text.match(/data-test="device"/g)).toHaveLength(1);
  });

  it('a later sign-in asks for the app\'s code: a wrong one is "Otp invalid!" and the page has the phone-clock hint; the right one signs in', async () => {
    const demo = await demoOf('selfService');
    const ada = demo.browser();
    await ada.signIn('ada');
    const { manualKey } = await setUpApp(demo, ada);
    expect(new URL((await signOut(ada)).url).pathname).toBe('/login');

    const challenge = await ada.signIn('ada');
    expect(new URL(challenge.url).pathname).toBe('/login/code');
    expect(challenge.text).toContain('data-test="code-form"');
    expect(challenge.text).toContain('sync the phone clock; drift must stay under a minute');
    expect(challenge.text).toContain('data-test="use-backup_code"');
    expect(challenge.text).toContain('data-test="remember-browser"');
    // The password alone does not open the security page.
    expect(new URL((await ada.page('/account')).url).pathname).toBe('/login/code');

    demo.clock.advance(STEP_MS);
    const code = appCode(manualKey, demo.clock());
    const wrong = await ada.call('POST', '/2fa/login/verify', { method: 'totp', code: otherCode(code) });
    expect([wrong.status, wrong.json().error]).toEqual([
      401,
      { code: 'otp_invalid', message: 'Otp invalid!' },
    ]);
    const right = await ada.call('POST', '/2fa/login/verify', { method: 'totp', code });
    expect(right.json()).toMatchObject({ signedIn: true, method: 'totp' });
    const account = await ada.page('/account');
    expect([new URL(account.url).pathname, account.status]).toEqual(['/account', 200]);
    expect(account.text).toContain('with authenticator app');
  });

  it('a backup code signs in once; the same code again is "Otp invalid!"', async () => {
    const demo = await demoOf('selfService');
    const ada = demo.browser();
    await ada.signIn('ada');
    const { confirmed } = await setUpApp(demo, ada);
    const backupCode = confirmed.backupCodes?.[3] ?? '';
    await signOut(ada);

    const page = await ada.signIn('ada');
    const backupPage = await ada.page('/login/code?use=backup_code');
    expect(backupPage.text).toContain('<input type="hidden" name="method" value="backup_code">');
    expect(page.status).toBe(200);
    const first = await ada.call('POST', '/2fa/login/verify', { method: 'backup_code', code: backupCode });
    expect(first.json()).toMatchObject({ signedIn: true, method: 'backup_code', backupCodesRemaining: 9 });
    expect((await ada.page('/account')).text).toContain('data-test="backup-codes-remaining">9<');
    await signOut(ada);

    await ada.signIn('ada');
    const again = await ada.call('POST', '/2fa/login/verify', { method: 'backup_code', code: backupCode });
    expect([again.status, again.json().error]).toEqual([
      401,
      { code: 'otp_invalid', message: 'Otp invalid!' },
    ]);
  });

  it('"Remember this browser" skips the code at the next sign-in in that browser, until "Forget remembered browsers"', async () => {
    const demo = await demoOf('selfService');
    const ada = demo.browser();
    await ada.signIn('ada');
    const { manualKey } = await setUpApp(demo, ada);
    await signOut(ada);
    await ada.signIn('ada');
    demo.clock.advance(STEP_MS);
    const remembered = await ada.call('POST', '/2fa/login/verify', {
      method: 'totp',
      code: appCode(manualKey, demo.clock()),
      rememberDevice: true,
    });
    expect(remembered.status).toBe(200);
    expect(ada.cookies.has('sfdemo_trusted')).toBe(true);
    await signOut(ada);

    expect(new URL((await ada.signIn('ada')).url).pathname).toBe('/account');
    // Another browser still needs the code.
    expect(new URL((await demo.browser().signIn('ada')).url).pathname).toBe('/login/code');
    const forgotten = await ada.call('DELETE', '/2fa/trusted-device');
    expect(forgotten.json()).toEqual({ forgotten: 1 });
    await signOut(ada);
    expect(new URL((await ada.signIn('ada')).url).pathname).toBe('/login/code');
  });

  it('turning 2FA off after five minutes asks for the password and then a fresh code ("Confirm it\'s you")', async () => {
    const demo = await demoOf('selfService');
    const ada = demo.browser();
    await ada.signIn('ada');
    const { manualKey } = await setUpApp(demo, ada);
    demo.clock.advance(6 * 60_000);

    const stale = await ada.call('PUT', '/2fa/use-two-factor', { value: false });
    expect(stale.json().error).toMatchObject({
      code: 'policy_denied',
      detail: { reason: 'fresh_auth_required', policyDetail: { proof: 'password_and_second_factor' } },
    });
    expect((await ada.page('/account')).text).toContain('data-test="reauth"');
    const wrongPassword = await ada.call('POST', '/account/reauthenticate', { password: 'guess' });
    expect(wrongPassword.status).toBe(401);
    expect((await ada.call('POST', '/account/reauthenticate', { password: 'ada-demo' })).status).toBe(204);
    const stepUp = await ada.call('POST', '/2fa/login/step-up', {});
    expect(stepUp.json()).toMatchObject({ state: 'challenge', stepUp: true });
    const codePage = await ada.page('/login/code?next=/account');
    expect(codePage.text).toContain('Confirm it’s you');
    expect(codePage.text).toContain('data-next="/account"');
    const proof = await ada.call('POST', '/2fa/login/verify', {
      method: 'totp',
      code: appCode(manualKey, demo.clock()),
    });
    expect(proof.status).toBe(200);

    expect((await ada.call('PUT', '/2fa/use-two-factor', { value: false })).status).toBe(204);
    expect((await ada.page('/account')).text).toContain('data-test="2fa-status">Off<');
  });

  it('the admin\'s user table marks who has 2FA; a user who is not an admin gets "not found"', async () => {
    const demo = await demoOf('selfService');
    const ada = demo.browser();
    await ada.signIn('ada');
    await setUpApp(demo, ada);
    expect((await ada.page('/admin/users')).status).toBe(404);

    const admin = demo.browser();
    const table = (await admin.signIn('admin')) && (await admin.page('/admin/users'));
    expect(table.status).toBe(200);
    const mark = (id: string) =>
      new RegExp(`data-user-id="${id}">[\\s\\S]*?data-test="mark">([^<]+)<`).exec(table.text)?.[1];
    expect([mark('ada'), mark('bob'), mark('admin')]).toEqual(['✓ On', '✗ Off', '✗ Off']);
  });

  it('the sign-in form is refused when another site posts it and accepted from its own page (Sec-Fetch-Site: same-origin, even with Origin: null)', async () => {
    const demo = await demoOf('selfService');
    const post = (headers: Record<string, string>) =>
      demo.browser().request('POST', '/login', {
        body: new URLSearchParams({ username: 'bob', password: 'bob-demo' }).toString(),
        type: 'application/x-www-form-urlencoded',
        headers,
      });
    const refused = 'This form must be sent from this site.';
    for (const headers of [
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { 'sec-fetch-site': 'same-site', origin: demo.url },
      { origin: 'https://evil.example' },
      { origin: 'null' },
    ]) {
      const answer = await post(headers);
      expect([answer.status, answer.text.includes(refused)], JSON.stringify(headers)).toEqual([403, true]);
    }
    for (const headers of [{ 'sec-fetch-site': 'same-origin', origin: 'null' }, { origin: demo.url }, {}]) {
      const answer = await post(headers);
      expect(new URL(answer.url).pathname, JSON.stringify(headers)).toBe('/account');
    }
  });

  it('signing out ends the session: the security page sends the browser to the sign-in form', async () => {
    const demo = await demoOf('selfService');
    const bob = demo.browser();
    await bob.signIn('bob');
    const csrfless = await bob.form('/logout', { _csrf: 'forged' });
    expect(csrfless.status).toBe(403);
    const out = await signOut(bob);
    expect(out.text).toContain('You are signed out.');
    expect(new URL((await bob.page('/account')).url).pathname).toBe('/login');
    const wrong = await bob.signIn('bob', 'wrong');
    expect([wrong.status, wrong.text.includes('Wrong user name or password.')]).toEqual([401, true]);
  });
});

describe('accountAdmin', () => {
  it('a user whose admin switched "Use 2FA" on sets up at his first sign-in, where "Disable 2FA" and "Set up later" are offered; later sign-ins ask for the code', async () => {
    const demo = await demoOf('accountAdmin');
    const ada = demo.browser();
    const first = await ada.signIn('ada');
    expect(new URL(first.url).pathname).toBe('/setup');
    expect(first.text).toContain('data-test="skip-setup"');
    expect(first.text).toMatch(/data-test="defer-setup">Set up later \(3 days left\)</);
    const setup = setupOf(first.text);
    const confirmed = await ada.call('POST', '/2fa/enrollment/totp/confirm', {
      enrollmentId: setup.enrollmentId,
      code: appCode(setup.manualKey, demo.clock()),
    });
    expect(confirmed.json()).toMatchObject({ signedIn: true, backupCodes: null });
    expect((await ada.page('/account')).text).toContain('data-test="2fa-status">On<');
    await signOut(ada);
    expect((await signInWithCode(demo, ada, 'ada', setup.manualKey)).status).toBe(200);
  });

  it('"Set up later" signs in without a second factor while the grace runs; the next sign-in asks again', async () => {
    const demo = await demoOf('accountAdmin');
    const ada = demo.browser();
    await ada.signIn('ada');
    const deferred = await ada.call('POST', '/2fa/login/defer', {});
    expect(deferred.json()).toMatchObject({ signedIn: true });
    expect((await ada.page('/account')).status).toBe(200);
    await signOut(ada);
    expect(new URL((await ada.signIn('ada')).url).pathname).toBe('/setup');
  });

  it('"Disable 2FA" on the first-login set-up signs in without 2FA and switches it off for the account', async () => {
    const demo = await demoOf('accountAdmin');
    const ada = demo.browser();
    await ada.signIn('ada');
    expect((await ada.call('POST', '/2fa/login/skip-setup', {})).json()).toEqual({ signedIn: true });
    await signOut(ada);
    const next = await ada.signIn('ada');
    expect(new URL(next.url).pathname).toBe('/account');
    expect(next.text).toContain('data-test="2fa-status">Off<');
  });

  it('the admin resets a user: the table marks him off, and his next sign-in asks for the set-up again', async () => {
    const demo = await demoOf('accountAdmin');
    const ada = demo.browser();
    await ada.signIn('ada');
    await setUpApp(demo, ada);
    await signOut(ada);

    const admin = demo.browser();
    await admin.signIn('acme-admin');
    const table = await admin.page('/admin/users');
    expect(table.text).toMatch(/data-user-id="ada">[\s\S]*?data-test="mark">✓ On</);
    for (const control of ['use-2fa', 'may-toggle', 'reset'])
      expect(table.text).toContain(`data-test="${control}"`);
    expect(table.text).not.toContain('data-user-id="carol"');
    const reset = await admin.call('POST', '/2fa/admin/users/ada/reset', {});
    expect(reset.status).toBe(204);
    expect((await admin.page('/admin/users')).text).toMatch(
      /data-user-id="ada">[\s\S]*?data-test="mark">✗ Off</,
    );

    const again = await ada.signIn('ada');
    expect(new URL(again.url).pathname).toBe('/setup');
    const setup = setupOf(again.text);
    const confirmed = await ada.call('POST', '/2fa/enrollment/totp/confirm', {
      enrollmentId: setup.enrollmentId,
      code: appCode(setup.manualKey, demo.clock()),
    });
    expect(confirmed.json()).toMatchObject({ signedIn: true });
  });

  it('"Use 2FA" and "Can toggle 2FA" from the table; an admin of another tenant finds no such user', async () => {
    const demo = await demoOf('accountAdmin');
    const admin = demo.browser();
    await admin.signIn('acme-admin');
    await admin.page('/admin/users');
    expect((await admin.call('PUT', '/2fa/admin/users/bob/use-two-factor', { value: true })).status).toBe(
      204,
    );
    expect((await admin.call('PUT', '/2fa/admin/users/bob/may-toggle', { value: false })).status).toBe(204);
    const bob = demo.browser();
    expect(new URL((await bob.signIn('bob')).url).pathname).toBe('/setup');

    const foreign = demo.browser();
    await foreign.signIn('globex-admin');
    await foreign.page('/admin/users');
    const refused = await foreign.call('POST', '/2fa/admin/users/ada/reset', {});
    expect([refused.status, refused.json<{ error: { code: string } }>().error.code]).toEqual([
      404,
      'not_found',
    ]);
  });
});
