/**
 * A partner's own SMTP server (the partner product: the tenant's administrator sets the server its code
 * e-mails go through). The settings are asked of the policy (`canConfigureTenant`), stored sealed (B6)
 * and audited without the password; a code e-mail of that tenant's user then arrives at that server and
 * nowhere else, through a real SMTP server on a loopback port.
 */
import { createEmailChannel } from '@secondfactor/channels';
import { createPolicy, type PolicyConfig } from '@secondfactor/policy';
import { createTwoFactor, type TwoFactorEvent } from '@secondfactor/service';
import { MemoryStore, SecretBox } from '@secondfactor/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asActor, backupCodeKey, codeSent, freshActor, rejection, testClock } from './fixtures';
import { codeOf, type LocalSmtpServer, startSmtpServer } from './smtp';

/** E-mail codes for the users of tenants whose administrators configure their own server. */
const partners: PolicyConfig = {
  name: 'partners',
  methods: { allowed: ['totp', 'email'] },
  self: { toggle: true },
  admin: { roles: ['admin'], configureTenant: true },
};

describe("a tenant's own SMTP server", () => {
  let partner: LocalSmtpServer;
  let host: LocalSmtpServer;
  beforeAll(async () => {
    [partner, host] = await Promise.all([startSmtpServer(), startSmtpServer()]);
  });
  afterAll(async () => {
    await Promise.all([partner.close(), host.close()]);
  });

  function service() {
    const store = new MemoryStore();
    const clock = testClock();
    const events: TwoFactorEvent[] = [];
    let twoFactor: ReturnType<typeof createTwoFactor>;
    const email = createEmailChannel({
      from: 'security@host.example',
      transport: async ({ tenantId }) => {
        const own = tenantId === undefined ? null : await twoFactor.tenantSmtp(tenantId);
        return own === null
          ? { host: '127.0.0.1', port: host.port, secure: false, ignoreTLS: true }
          : { ...own, ignoreTLS: !own.auth };
      },
    });
    twoFactor = createTwoFactor({
      store,
      secretBox: new SecretBox({
        keys: { k1: crypto.getRandomValues(new Uint8Array(32)) },
        currentKeyId: 'k1',
      }),
      backupCodeKey,
      policy: createPolicy(partners),
      issuer: 'Example',
      clock,
      channels: { email },
      onEvent: (event) => {
        events.push(event);
      },
    });
    return { twoFactor, store, clock, events };
  }

  it('B6, H8: an admin sets it, sealed and audited without the password; a code e-mail goes through it', async () => {
    const { twoFactor, store, clock, events } = service();
    const admin = freshActor({ id: 'acme-admin', roles: ['admin'], tenantId: 'acme' }, clock());
    await twoFactor.setTenantSmtp(admin, 'acme', {
      host: '127.0.0.1',
      port: partner.port,
      auth: { user: 'otp', pass: 'partner-secret-1' },
    });
    expect(await twoFactor.tenantSmtp('acme')).toMatchObject({ host: '127.0.0.1', port: partner.port });
    expect(await twoFactor.tenantSmtp('globex')).toBeNull();
    const stored = await store.getTenantSettings('acme');
    expect(stored?.smtpCiphertext).toMatch(/^sf1\./);
    const dump = JSON.stringify({ snapshot: await store.exportSnapshot(), events });
    expect(dump).not.toContain('partner-secret-1');
    expect(events.at(-1)).toMatchObject({
      type: 'tenant.smtp_changed',
      data: { tenantId: 'acme', host: '127.0.0.1', authenticated: true },
    });

    // A user of the tenant adds his e-mail address: the code arrives at the partner's server only.
    const user = { id: 'acme-user', roles: [] as string[], tenantId: 'acme' };
    const before = host.received.length;
    const added = await codeSent(
      twoFactor.addAddress(asActor(user), { method: 'email', address: 'ada@acme.example' }),
    );
    const message = partner.received.at(-1) ?? '';
    expect(message).toContain('ada@acme.example');
    expect(host.received).toHaveLength(before);
    const code = codeOf(message);
    const confirmed = await twoFactor.verifyAddress(asActor(user), {
      enrollmentId: added.enrollmentId,
      code,
    });
    expect(confirmed.method).toBe('email');

    // null: back to the host's server.
    await twoFactor.setTenantSmtp(admin, 'acme', null);
    expect(await twoFactor.tenantSmtp('acme')).toBeNull();
  });

  it('tenantSmtpView shows the settings page everything but the password, and only to who may change them', async () => {
    const { twoFactor, clock } = service();
    const admin = freshActor({ id: 'acme-admin', roles: ['admin'], tenantId: 'acme' }, clock());
    expect(await twoFactor.tenantSmtpView(admin, 'acme')).toBeNull();
    await twoFactor.setTenantSmtp(admin, 'acme', {
      host: 'smtp.acme.example',
      port: 465,
      secure: true,
      auth: { user: 'mailer', pass: 'hunter2-secret' },
    });
    const view = await twoFactor.tenantSmtpView(admin, 'acme');
    expect(view).toEqual({
      host: 'smtp.acme.example',
      port: 465,
      secure: true,
      user: 'mailer',
      hasPassword: true,
    });
    expect(JSON.stringify(view)).not.toContain('hunter2');
    await twoFactor.setTenantSmtp(admin, 'acme', { host: 'smtp.acme.example' });
    expect(await twoFactor.tenantSmtpView(admin, 'acme')).toEqual({
      host: 'smtp.acme.example',
      port: 587,
      secure: false,
      user: null,
      hasPassword: false,
    });
    const member = freshActor({ id: 'acme-user', roles: [], tenantId: 'acme' }, clock());
    const otherAdmin = freshActor({ id: 'globex-admin', roles: ['admin'], tenantId: 'globex' }, clock());
    expect((await rejection(twoFactor.tenantSmtpView(member, 'acme'))).code).toBe('policy_denied');
    expect((await rejection(twoFactor.tenantSmtpView(otherAdmin, 'acme'))).code).toBe('policy_denied');
  });

  it('only an administrator of that tenant changes it (policy canConfigureTenant)', async () => {
    const { twoFactor, clock } = service();
    const smtp = { host: '127.0.0.1', port: partner.port };
    const member = freshActor({ id: 'acme-user', roles: [], tenantId: 'acme' }, clock());
    const otherAdmin = freshActor({ id: 'globex-admin', roles: ['admin'], tenantId: 'globex' }, clock());
    expect((await rejection(twoFactor.setTenantSmtp(member, 'acme', smtp))).code).toBe('policy_denied');
    expect((await rejection(twoFactor.setTenantSmtp(otherAdmin, 'acme', smtp))).code).toBe('policy_denied');
    expect(await twoFactor.tenantSmtp('acme')).toBeNull();
  });

  it('settings of any size up to what can be sealed: a one-letter host works, 256 bytes and more are refused', async () => {
    const { twoFactor, clock } = service();
    const admin = freshActor({ id: 'acme-admin', roles: ['admin'], tenantId: 'acme' }, clock());
    await twoFactor.setTenantSmtp(admin, 'acme', { host: 'x' });
    expect(await twoFactor.tenantSmtp('acme')).toEqual({ host: 'x' });
    const long = { host: 'h'.repeat(120), auth: { user: 'u'.repeat(60), pass: 'p'.repeat(100) } };
    const error = await rejection(twoFactor.setTenantSmtp(admin, 'acme', long));
    expect([error.code, error.message]).toEqual([
      'invalid_argument',
      'smtp is too long to store: at most 256 bytes as JSON (host, user and password)',
    ]);
    expect(await twoFactor.tenantSmtp('acme')).toEqual({ host: 'x' });
  });
});
