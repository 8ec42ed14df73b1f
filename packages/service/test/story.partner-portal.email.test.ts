/**
 * The partnerPortal product, its e-mail part: "two-factor authentication by e-mail" is a feature a
 * partner switches on (`2fa_email`, with its own SMTP server, `smtp`); the partner's administrator
 * configures that server; a user of the partner then gets a code by e-mail at every login, sent to the
 * address he signs in with (no set-up of his own: the policy's `withoutEnrollment`), through the
 * partner's server. The test reads the code off a real SMTP server on a loopback port and signs in with
 * it; a wrong code is "Otp invalid!".
 */
import { createEmailChannel } from '@secondfactor/channels';
import { createPolicy, partnerPortal } from '@secondfactor/policy';
import { createTwoFactor, type TenantFeatures } from '@secondfactor/service';
import { MemoryStore, SecretBox } from '@secondfactor/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupCodeKey, freshActor, rejection, testClock } from './fixtures';
import { codeOf, type LocalSmtpServer, startSmtpServer } from './smtp';

describe('partnerPortal story: e-mail codes through the partner’s SMTP server', () => {
  let partnerSmtp: LocalSmtpServer;
  beforeAll(async () => {
    partnerSmtp = await startSmtpServer();
  });
  afterAll(() => partnerSmtp.close());

  it('the admin sets the server; each login sends a code there; a wrong code is "Otp invalid!"', async () => {
    const clock = testClock();
    const features = new Map<string, string[]>([['acme', ['partner', '2fa_email', 'smtp']]]);
    const tenantFeatures: TenantFeatures = (tenantId) => features.get(tenantId ?? '') ?? [];
    let twoFactor: ReturnType<typeof createTwoFactor>;
    const email = createEmailChannel({
      from: 'security@portal.example',
      transport: async ({ tenantId }) => {
        const own = tenantId === undefined ? null : await twoFactor.tenantSmtp(tenantId);
        if (own === null) throw new Error('this test sends through partners’ servers only');
        return { ...own, ignoreTLS: true };
      },
    });
    twoFactor = createTwoFactor({
      store: new MemoryStore(),
      secretBox: new SecretBox({
        keys: { k1: crypto.getRandomValues(new Uint8Array(32)) },
        currentKeyId: 'k1',
      }),
      backupCodeKey,
      policy: createPolicy(partnerPortal),
      issuer: 'Partner Portal',
      clock,
      tenantFeatures,
      channels: { email },
    });

    const admin = freshActor({ id: 'acme-admin', roles: ['admin'], tenantId: 'acme' }, clock());
    await twoFactor.setTenantSmtp(admin, 'acme', {
      host: '127.0.0.1',
      port: partnerSmtp.port,
      auth: { user: 'otp', pass: 'partner-secret-1' },
    });

    const user = { id: 'acme-ada', roles: [] as string[], tenantId: 'acme' };
    const account = { email: 'ada@acme.example' };
    const start = await twoFactor.startLogin(user, account);
    expect(start).toMatchObject({ state: 'challenge', methods: ['email'] });
    const loginId = start.loginId ?? '';
    const sent = await twoFactor.sendLoginCode({ loginId, method: 'email' });
    expect(sent.channel).toBe('email');
    const message = partnerSmtp.received.at(-1);
    expect(message).toContain('ada@acme.example');
    const code = codeOf(message);
    expect(JSON.stringify(sent)).not.toContain(code); // G7

    const wrong = String((Number(code) + 1) % 10 ** code.length).padStart(code.length, '0');
    const bad = await rejection(twoFactor.verifyLogin({ loginId, method: 'email', code: wrong }));
    expect([bad.code, bad.message]).toEqual(['otp_invalid', 'Otp invalid!']);
    const proof = await twoFactor.verifyLogin({ loginId, method: 'email', code });
    expect(proof).toMatchObject({ userId: user.id, method: 'email', fallback: false });

    // The next login sends a new code; the old one no longer works (G3).
    clock.advance(60_000);
    const next = await twoFactor.startLogin(user, account);
    await twoFactor.sendLoginCode({ loginId: next.loginId ?? '', method: 'email' });
    const again = await rejection(
      twoFactor.verifyLogin({ loginId: next.loginId ?? '', method: 'email', code }),
    );
    expect(again.code).toBe('otp_invalid');
    const fresh = codeOf(partnerSmtp.received.at(-1));
    await expect(
      twoFactor.verifyLogin({ loginId: next.loginId ?? '', method: 'email', code: fresh }),
    ).resolves.toMatchObject({ method: 'email' });

    // A partner without the e-mail feature: no e-mail code, no second factor asked of its users.
    features.set('acme', ['partner']);
    expect(await twoFactor.startLogin(user, account)).toMatchObject({ state: 'done' });
  });
});
