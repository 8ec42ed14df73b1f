/**
 * The multiMethod product at the service level, its Telegram part: "Link Telegram" opens the bot, the
 * linked account switches 2FA on by itself (`enableOnLink`) and signs the user in with a tap on Approve
 * at every later login; a second messenger account gets every approval too (`pushToAllDevices`).
 * "Telegram 2-Step Verification is automatically enabled when linking a Telegram account and if you
 * wish, it can be disabled": disabled, the accounts stay linked, and enabling needs no new link.
 */
import { multiMethod } from '@secondfactor/policy';
import { afterEach, expect, it } from 'vitest';
import { describeEachStore, suiteStore } from './fixtures';
import { deliver, type PushHarness, pressIn, pushHarness, signedIn, startToken } from './push-helpers';

let next = 0;
/** A control panel account (one per user, no tenants), new for each call. */
const owner = () => ({ id: `panel-push-${++next}`, roles: [] as string[] });

let h: PushHarness | undefined;
afterEach(() => h?.close());

describeEachStore('multiMethod story: Telegram', (openStore) => {
  const store = suiteStore(openStore);

  it('"Link Telegram": the bot links the account, 2FA is on, and each login is confirmed in Telegram (H1, D3)', async () => {
    h = await pushHarness({ store: store(), policy: multiMethod });
    const user = owner();
    expect((await h.twoFactor.startLogin(user)).state).toBe('done');

    const { link } = await h.push.linkTelegram(await signedIn(h, user), { label: 'Telegram' });
    expect((await deliver(h, h.bot.userSends(51_000_001, `/start ${startToken(link)}`))).outcome).toBe(
      'linked',
    );
    expect(await h.twoFactor.status(await signedIn(h, user), user)).toMatchObject({
      hasTwoFactor: true,
      useTwoFactor: true,
      methods: ['push'],
    });

    const login = await h.twoFactor.startLogin(user);
    expect(login).toMatchObject({ state: 'challenge', methods: ['push'] });
    await h.push.sendLoginApproval({ loginId: login.loginId ?? '', ip: '198.51.100.4' });
    expect((await deliver(h, pressIn(h, 51_000_001, 'Approve'))).outcome).toBe('approved');
    const proof = await h.twoFactor.verifyLogin({ loginId: login.loginId ?? '', method: 'push', code: '' });
    expect(proof).toMatchObject({ userId: user.id, method: 'push' });

    // A second messenger account: every later approval reaches both, and either confirms.
    const second = await h.push.linkTelegram(await signedIn(h, user), { label: 'Work Telegram' });
    await deliver(h, h.bot.userSends(51_000_002, `/start ${startToken(second.link)}`));
    h.clock.advance(60_000);
    const next = await h.twoFactor.startLogin(user);
    expect((await h.push.sendLoginApproval({ loginId: next.loginId ?? '' })).sent).toBe(2);
    // Both phones pressed at once, again and again: one decision, on every store.
    const presses = [51_000_001, 51_000_002, 51_000_001, 51_000_002].map((chat) =>
      pressIn(h!, chat, 'Approve'),
    );
    const results = await Promise.all([...presses, ...presses].map((press) => deliver(h!, press)));
    expect(results.filter((result) => result.outcome === 'approved')).toHaveLength(1);
    expect(
      (await h.twoFactor.verifyLogin({ loginId: next.loginId ?? '', method: 'push', code: '' })).method,
    ).toBe('push');

    // "Disable" next to Telegram: both accounts stay linked, 2FA is off; "Launch" switches them on again.
    h.clock.advance(60_000);
    const session = await signedIn(h, user);
    const chats = await h.twoFactor.listDevices(session, user);
    for (const chat of chats) await h.twoFactor.switchOffDevice(session, { deviceId: chat.id });
    expect(await h.twoFactor.status(session, user)).toMatchObject({
      hasTwoFactor: false,
      useTwoFactor: false,
    });
    expect((await h.twoFactor.listDevices(session, user)).map((chat) => chat.switchedOff)).toEqual([
      true,
      true,
    ]);
    expect((await h.twoFactor.startLogin(user)).state).toBe('done');
    for (const chat of chats) await h.twoFactor.switchOnDevice(session, { deviceId: chat.id });
    expect(await h.twoFactor.startLogin(user)).toMatchObject({ state: 'challenge', methods: ['push'] });
  });
});
