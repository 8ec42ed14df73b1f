/**
 * Telegram linking, seen from the browser that showed the deep link: `linkTelegramStatus` answers
 * `pending` until the bot receives the chat's `/start`, then `linked` — once with the first backup codes,
 * the new session epoch and (for a first-login set-up) the completed login, afterwards without them.
 * Linking a chat is enabling a device: the user's other sessions end where the policy says so (I5),
 * keeping the one the link was made from.
 */
import { multiMethod, type PolicyConfig } from '@secondfactor/policy';
import { afterEach, describe, expect, it } from 'vitest';
import { newUser, rejection } from './fixtures';
import { deliver, type PushHarness, pushHarness, signedIn, startToken } from './push-helpers';

let h: PushHarness;
afterEach(() => h.close());

/** multiMethod with backup codes issued on enabling, and 2FA required at login. */
const required: PolicyConfig = {
  ...multiMethod,
  name: 'multiMethodRequired',
  requirement: { default: true },
  backupCodes: { issue: true, acknowledgementRequired: true, count: 8 },
};

describe('linkTelegramStatus', () => {
  it('answers pending, then linked once with the first backup codes and the new epoch, then linked without them', async () => {
    const revoked: Array<[string, string | undefined]> = [];
    h = await pushHarness({
      policy: required,
      sessions: {
        revokeOthers: async (userId, keep) => {
          revoked.push([userId, keep]);
        },
      },
    });
    const user = newUser();
    const actor = await signedIn(h, user);
    const epochBefore = await h.store.getSessionEpoch(user.id);
    const { link, linkId, expiresAt } = await h.push.linkTelegram(actor, { sessionId: 'session-7' });
    expect(linkId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // The token is a capability while the link is open: the link's id does not carry it.
    expect(startToken(link)).not.toContain(linkId);
    expect(linkId).not.toContain(startToken(link).slice(0, 16));

    expect(await h.push.linkTelegramStatus(actor, { linkId })).toEqual({ state: 'pending', expiresAt });
    expect((await deliver(h, h.bot.userSends(42_000_001, `/start ${startToken(link)}`))).outcome).toBe(
      'linked',
    );
    // I5: every session verified before the link no longer counts; the link's own session is kept.
    expect(await h.twoFactor.isSessionCurrent(user.id, epochBefore)).toBe(false);
    expect(revoked).toEqual([[user.id, 'session-7']]);

    const first = await h.push.linkTelegramStatus(actor, { linkId });
    expect(first).toMatchObject({
      state: 'linked',
      credentialId: linkId,
      method: 'push',
      backupCodesAcknowledgementRequired: true,
      login: null,
    });
    expect(first.state === 'linked' && first.backupCodes).toHaveLength(8);
    const epoch = first.state === 'linked' ? first.sessionEpoch : null;
    expect(epoch).toBe(await h.store.getSessionEpoch(user.id));
    expect(await h.twoFactor.isSessionCurrent(user.id, epoch as number)).toBe(true);

    expect(await h.push.linkTelegramStatus(actor, { linkId })).toMatchObject({
      state: 'linked',
      credentialId: linkId,
      backupCodes: null,
      sessionEpoch: null,
      login: null,
    });
    const devices = await h.twoFactor.listDevices(await signedIn(h, user), user);
    expect(devices.map((device) => device.id)).toEqual([linkId]);
  });

  it('H1: a first-login set-up by Telegram completes the pending login once the chat is linked', async () => {
    h = await pushHarness({ policy: required });
    const user = newUser();
    const start = await h.twoFactor.startLogin(user);
    expect(start).toMatchObject({ state: 'enroll' });
    expect(start.methods).toContain('push');
    const loginId = start.loginId as string;
    const actor = await signedIn(h, user);
    const { link, linkId } = await h.push.linkTelegram(actor, { loginId });
    // Nothing is active before the chat is linked: the login cannot be completed by asking.
    expect(await h.push.linkTelegramStatus(actor, { linkId })).toMatchObject({ state: 'pending' });

    await deliver(h, h.bot.userSends(42_000_001, `/start ${startToken(link)}`));
    const status = await h.push.linkTelegramStatus(actor, { linkId });
    expect(status).toMatchObject({
      state: 'linked',
      login: { userId: user.id, method: 'push', fallback: false, at: h.clock() },
    });
    // The login is completed: it cannot be completed again, by the status or by a code.
    expect(await h.push.linkTelegramStatus(actor, { linkId })).toMatchObject({ login: null });
    expect((await rejection(h.twoFactor.verifyLogin({ loginId, method: 'push', code: '' }))).code).toBe(
      'challenge_expired',
    );
    expect(h.events.filter((event) => event.type === 'login.succeeded')).toHaveLength(1);
  });

  it("a link made for another user's login, or for a login that asks for no set-up, is refused", async () => {
    h = await pushHarness({ policy: required });
    const owner = newUser();
    const other = newUser();
    const { loginId } = await h.twoFactor.startLogin(owner);
    const error = await rejection(
      h.push.linkTelegram(await signedIn(h, other), { loginId: loginId as string }),
    );
    expect(error.code).toBe('challenge_expired');
    expect(await h.store.listCredentials(other.id)).toEqual([]);
  });

  it("H3: another user's link, an unknown one and an expired one are not found", async () => {
    h = await pushHarness();
    const owner = newUser();
    const { linkId } = await h.push.linkTelegram(await signedIn(h, owner), {});
    const stranger = await signedIn(h, newUser());
    expect((await rejection(h.push.linkTelegramStatus(stranger, { linkId }))).code).toBe(
      'enrollment_not_found',
    );
    const actor = await signedIn(h, owner);
    expect((await rejection(h.push.linkTelegramStatus(actor, { linkId: 'A'.repeat(22) }))).code).toBe(
      'enrollment_not_found',
    );
    expect((await rejection(h.push.linkTelegramStatus(actor, { linkId: 'not an id' }))).code).toBe(
      'enrollment_not_found',
    );
    h.clock.advance(600_000);
    expect((await rejection(h.push.linkTelegramStatus(actor, { linkId }))).code).toBe('enrollment_not_found');
  });

  it('a /start the webhook refuses (the chat is linked already) ends the wait: the link is then not found', async () => {
    h = await pushHarness();
    const user = newUser();
    const first = await h.push.linkTelegram(await signedIn(h, user), {});
    await deliver(h, h.bot.userSends(42_000_001, `/start ${startToken(first.link)}`));
    const actor = await signedIn(h, user);
    const second = await h.push.linkTelegram(actor, {});
    expect(await deliver(h, h.bot.userSends(42_000_001, `/start ${startToken(second.link)}`))).toEqual({
      outcome: 'refused',
      reason: 'already_linked',
    });
    expect((await rejection(h.push.linkTelegramStatus(actor, { linkId: second.linkId }))).code).toBe(
      'enrollment_not_found',
    );
  });

  it('I5: a link keeps its session only while no other change signed that session out', async () => {
    const revoked: Array<[string, string | undefined]> = [];
    h = await pushHarness({
      policy: required,
      sessions: {
        revokeOthers: async (userId, keep) => {
          revoked.push([userId, keep]);
        },
      },
    });
    // Signed out before the chat arrived: the linking keeps no session, and reports no epoch.
    const user = newUser();
    const before = await h.push.linkTelegram(await signedIn(h, user), { sessionId: 'session-1' });
    await h.store.bumpSessionEpoch(user.id); // another change signed the user's sessions out
    await deliver(h, h.bot.userSends(42_000_001, `/start ${startToken(before.link)}`));
    expect(revoked).toEqual([[user.id, undefined]]);
    const first = await h.push.linkTelegramStatus(await signedIn(h, user), { linkId: before.linkId });
    expect(first).toMatchObject({ state: 'linked', sessionEpoch: null });

    // Signed out after the chat arrived, before the page asked: the epoch moved on, none is reported.
    const other = newUser();
    const after = await h.push.linkTelegram(await signedIn(h, other), { sessionId: 'session-2' });
    await deliver(h, h.bot.userSends(42_000_002, `/start ${startToken(after.link)}`));
    expect(revoked.at(-1)).toEqual([other.id, 'session-2']);
    await h.store.bumpSessionEpoch(other.id);
    const late = await h.push.linkTelegramStatus(await signedIn(h, other), { linkId: after.linkId });
    expect(late).toMatchObject({ state: 'linked', sessionEpoch: null });
  });
});
