/**
 * The "your address was changed" notice (G9) against a real SMTP server on a loopback port: the delivered
 * message has the subject, the time of the change in UTC, a contact-support line, both parts and the
 * Auto-Submitted header, and no code; a hostile issuer arrives escaped; a custom notice template replaces
 * the default; a refusing server is `delivery_failed` with the same detail as for a code e-mail; codes and
 * notices of one tenant share one transporter.
 */
import { createEmailChannel, type NoticeMessage } from '@secondfactor/channels';
import { httpStatusOf, isSecondFactorError, type SecondFactorError } from '@secondfactor/core';
import { describe, expect, it, vi } from 'vitest';
import {
  type Delivered,
  findPart,
  freePort,
  parseMime,
  smtpServersPerTest,
  smtpUnavailable,
} from './smtp-server';

const skip = await smtpUnavailable();
if (skip !== undefined) console.warn(`[channels] SMTP notice tests skipped: ${skip}`);

const FROM = { name: 'Acme', address: 'no-reply@acme.example' };
/** 2026-05-01T12:00:00.789Z: the milliseconds are not shown. */
const AT = Date.UTC(2026, 4, 1, 12, 0, 0, 789);
const SHOWN_AT = '2026-05-01T12:00:00Z';

const notice = (overrides: Partial<NoticeMessage> = {}): NoticeMessage => ({
  kind: 'address_changed',
  issuer: 'Acme',
  method: 'email',
  at: AT,
  ...overrides,
});

const server = smtpServersPerTest();

/** The delivered message's subject and decoded text and HTML parts. */
function read(delivered: Delivered): { subject: string; text: string; html: string } {
  const mime = parseMime(delivered.raw);
  return {
    subject: mime.headers.get('subject') ?? '',
    text: findPart(mime, 'text/plain')?.body ?? '',
    html: findPart(mime, 'text/html')?.body ?? '',
  };
}

describe.skipIf(skip !== undefined)('e-mail notice over SMTP', () => {
  it('G9: delivers address_changed to the old address: subject, time in UTC, a contact-support line, both parts', async () => {
    const smtp = await server();
    const email = createEmailChannel({ transport: smtp.settings, from: FROM });
    await email.sendNotice('ada@old.example', notice(), { userId: 'u_1' });
    email.close();

    expect(smtp.delivered).toHaveLength(1);
    const delivered = smtp.delivered[0] as Delivered;
    expect(delivered.mailFrom).toBe('no-reply@acme.example');
    expect(delivered.rcptTo).toEqual(['ada@old.example']);

    const mime = parseMime(delivered.raw);
    expect(mime.headers.get('from')).toMatch(/Acme.*<no-reply@acme\.example>/);
    expect(mime.headers.get('to')).toBe('ada@old.example');
    expect(mime.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mime.headers.get('content-type')).toMatch(/^multipart\/alternative/);

    const { subject, text, html } = read(delivered);
    expect(subject).toBe('Your Acme sign-in e-mail address was changed');
    expect(text.split(/\r?\n/)).toEqual([
      'Your Acme sign-in e-mail address was changed.',
      '',
      `When: ${SHOWN_AT} (UTC)`,
      '',
      'Your Acme sign-in codes now go to a different e-mail address. The old one no longer receives them.',
      '',
      'If this was not you, contact Acme support now: someone else may control your account.',
      '',
    ]);
    expect(html).toContain(`<title>${subject}</title>`);
    expect(html).toContain(`<p>When: ${SHOWN_AT} (UTC)</p>`);
    expect(html).toContain('<p>If this was not you, contact Acme support now');
  });

  it('G9: the notice carries no code: no digits but those of the time', async () => {
    const smtp = await server();
    const email = createEmailChannel({ transport: smtp.settings, from: FROM });
    for (const method of ['email', 'sms', 'voice'] as const) {
      await email.sendNotice('ada@old.example', notice({ method }), { userId: 'u_1' });
    }
    email.close();

    expect(smtp.delivered).toHaveLength(3);
    for (const delivered of smtp.delivered) {
      const { subject, text, html } = read(delivered);
      expect(subject).not.toMatch(/[0-9]/);
      expect(text.replaceAll(SHOWN_AT, '')).not.toMatch(/[0-9]/);
      // The HTML has markup digits (`utf-8`, `line-height:1.5`), never a run a code could hide in.
      expect(html.replaceAll(SHOWN_AT, '')).not.toMatch(/[0-9]{2,}/);
    }
  });

  it('escapes a hostile issuer in the HTML part', async () => {
    const smtp = await server();
    const email = createEmailChannel({ transport: smtp.settings, from: FROM });
    const issuer = `<script>alert("x")</script> & 'Co'`;
    await email.sendNotice('ada@old.example', notice({ issuer }), { userId: 'u_1' });
    email.close();

    const { text, html } = read(smtp.delivered[0] as Delivered);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;');
    // Plain text is not markup: the issuer appears as written.
    expect(text).toContain(`contact ${issuer} support now`);
  });

  it('renders with a custom noticeTemplate, given the notice and the delivery context', async () => {
    const smtp = await server();
    const noticeTemplate = vi.fn((n: NoticeMessage, context: { tenantId?: string | undefined }) => ({
      subject: `${n.issuer} (${context.tenantId}): ${n.method} changed`,
      text: `changed at ${new Date(n.at).toISOString()}`,
      html: '<p>changed</p>',
    }));
    const email = createEmailChannel({ transport: smtp.settings, from: FROM, noticeTemplate });
    await email.sendNotice('ada@old.example', notice({ method: 'sms' }), {
      userId: 'u_1',
      tenantId: 'partner-a',
    });
    email.close();

    expect(noticeTemplate).toHaveBeenCalledTimes(1);
    expect(read(smtp.delivered[0] as Delivered)).toEqual({
      subject: 'Acme (partner-a): sms changed',
      text: 'changed at 2026-05-01T12:00:00.789Z',
      html: '<p>changed</p>',
    });
  });

  it('a server refusing the recipient is delivery_failed (502), with the SMTP detail of a code e-mail', async () => {
    const smtp = await server({ rejectRcpt: true });
    const email = createEmailChannel({ transport: smtp.settings, from: FROM });
    const error = await email
      .sendNotice('ada@old.example', notice(), { userId: 'u_1', tenantId: 't_9' })
      .catch((e: unknown) => e);
    email.close();

    expect(isSecondFactorError(error)).toBe(true);
    const e = error as SecondFactorError;
    expect(e.code).toBe('delivery_failed');
    expect(httpStatusOf(e)).toBe(502);
    expect(e.message).toBe('the mail server did not accept the notice e-mail');
    expect(e.detail).toEqual({
      channel: 'email',
      reason: 'EENVELOPE',
      smtpStatus: 550,
      command: 'RCPT TO',
      permanent: true,
      tenantId: 't_9',
    });
    expect(e.cause).toBeUndefined();
    expect(smtp.delivered).toHaveLength(0);
  });

  it('a server that cannot be reached is delivery_failed', async () => {
    const port = await freePort();
    const email = createEmailChannel({
      transport: { host: '127.0.0.1', port, secure: false, ignoreTLS: true },
      from: FROM,
    });
    const error = await email.sendNotice('ada@old.example', notice(), { userId: 'u_1' }).catch((e) => e);
    email.close();
    expect(error).toMatchObject({ code: 'delivery_failed', detail: { channel: 'email', reason: 'ESOCKET' } });
  });

  it("sends a tenant's codes and notices through one cached transporter, asking for its settings once", async () => {
    const smtp = await server();
    const lookup = vi.fn(() => smtp.settings);
    const email = createEmailChannel({ transport: lookup, from: FROM });
    const context = { userId: 'u_1', tenantId: 'partner-a' };
    await email.sendCode(
      'ada@new.example',
      { code: '493021', issuer: 'Acme', purpose: 'verify', ttlSeconds: 600 },
      context,
    );
    await email.sendNotice('ada@old.example', notice(), context);
    email.close();

    expect(lookup).toHaveBeenCalledTimes(1);
    expect(smtp.delivered.map((d) => d.rcptTo)).toEqual([['ada@new.example'], ['ada@old.example']]);
  });
});
