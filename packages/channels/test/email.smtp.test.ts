/**
 * The e-mail channel against a real SMTP server on a loopback port: the code the test reads back out of
 * the delivered message is the code it sent; the message has a subject, sender, recipient, a text and
 * an HTML part; a hostile issuer arrives escaped in the HTML; a refusing server is `delivery_failed`
 * (with no code in the error); and each tenant's mail goes to that tenant's own server.
 */
import { randomInt } from 'node:crypto';
import { type CodeMessage, createEmailChannel } from '@secondfactor/channels';
import { httpStatusOf, isSecondFactorError, SecondFactorError } from '@secondfactor/core';
import { createTransport } from 'nodemailer';
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
if (skip !== undefined) console.warn(`[channels] SMTP tests skipped: ${skip}`);

const FROM = { name: 'Acme', address: 'no-reply@acme.example' };

/** A fresh random 6-digit code per test, so a passing test cannot be reading a constant. */
const newCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

const message = (overrides: Partial<CodeMessage> = {}): CodeMessage => ({
  code: newCode(),
  issuer: 'Acme',
  purpose: 'login',
  ttlSeconds: 600,
  ...overrides,
});

/** The code the user would read: the line of the text part that is only digits. */
function codeIn(delivered: Delivered): string | undefined {
  const text = findPart(parseMime(delivered.raw), 'text/plain');
  return /^\s*([0-9]{6})\s*$/m.exec(text?.body ?? '')?.[1];
}

const server = smtpServersPerTest();

describe.skipIf(skip !== undefined)('e-mail channel over SMTP', () => {
  it('delivers the code: the code read back from the delivered message is the code sent', async () => {
    const smtp = await server();
    const email = createEmailChannel({ transport: smtp.settings, from: FROM });
    const sent = message({ account: 'ada@example.com' });
    await email.sendCode('ada@example.com', sent, { userId: 'u_1' });
    email.close();

    expect(smtp.delivered).toHaveLength(1);
    const [delivered] = smtp.delivered as [Delivered];
    expect(delivered.mailFrom).toBe('no-reply@acme.example');
    expect(delivered.rcptTo).toEqual(['ada@example.com']);
    expect(codeIn(delivered)).toBe(sent.code);

    const mime = parseMime(delivered.raw);
    expect(mime.headers.get('subject')).toBe('Your Acme sign-in code');
    expect(mime.headers.get('from')).toMatch(/Acme.*<no-reply@acme\.example>/);
    expect(mime.headers.get('to')).toBe('ada@example.com');
    expect(mime.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mime.headers.get('content-type')).toMatch(/^multipart\/alternative/);

    const text = findPart(mime, 'text/plain')?.body ?? '';
    const html = findPart(mime, 'text/html')?.body ?? '';
    expect(text).toContain('It expires in 10 minutes.');
    expect(text).toContain('Use it to sign in.');
    expect(text).toContain('Account: ada@example.com');
    expect(text).toContain('Did not ask for this?');
    expect(html).toContain(`>${sent.code}</p>`);
    expect(html).toContain('It expires in 10 minutes.');
    expect(html).toContain('Did not ask for this?');
  });

  it('G7: the subject never carries the code (it shows in lock-screen notifications)', async () => {
    const smtp = await server();
    const email = createEmailChannel({ transport: smtp.settings, from: FROM });
    const sent = message();
    await email.sendCode('ada@example.com', sent, { userId: 'u_1' });
    email.close();
    expect(parseMime((smtp.delivered[0] as Delivered).raw).headers.get('subject')).not.toContain(sent.code);
  });

  it('escapes a hostile issuer and account in the HTML part', async () => {
    const smtp = await server();
    const email = createEmailChannel({ transport: smtp.settings, from: FROM });
    const issuer = `<script>alert("x")</script> & 'Co'`;
    await email.sendCode(
      'ada@example.com',
      message({ issuer, account: '<img src=x onerror=alert(1)>@example.com' }),
      { userId: 'u_1' },
    );
    email.close();

    const mime = parseMime((smtp.delivered[0] as Delivered).raw);
    const html = findPart(mime, 'text/html')?.body ?? '';
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;@example.com');
    // Plain text is not markup: the issuer appears as written.
    expect(findPart(mime, 'text/plain')?.body).toContain(issuer);
  });

  it('G7: a server refusing the recipient is delivery_failed (502), with SMTP detail and no code in the error', async () => {
    const smtp = await server({ rejectRcpt: true });
    const email = createEmailChannel({ transport: smtp.settings, from: FROM });
    const sent = message();
    const error = await email
      .sendCode('ada@example.com', sent, { userId: 'u_1', tenantId: 't_9' })
      .catch((e: unknown) => e);
    email.close();

    expect(isSecondFactorError(error)).toBe(true);
    const e = error as SecondFactorError;
    expect(e.code).toBe('delivery_failed');
    expect(httpStatusOf(e)).toBe(502);
    expect(e.detail).toEqual({
      channel: 'email',
      reason: 'EENVELOPE',
      smtpStatus: 550,
      command: 'RCPT TO',
      permanent: true,
      tenantId: 't_9',
    });
    expect(e.cause).toBeUndefined();
    const everything = `${e.message} ${e.stack} ${JSON.stringify(e)}`;
    expect(everything).not.toContain(sent.code);
    expect(smtp.delivered).toHaveLength(0);
  });

  it('a server that cannot be reached is delivery_failed', async () => {
    const port = await freePort();
    const email = createEmailChannel({
      transport: { host: '127.0.0.1', port, secure: false, ignoreTLS: true },
      from: FROM,
    });
    const error = await email
      .sendCode('ada@example.com', message(), { userId: 'u_1' })
      .catch((e: unknown) => e);
    email.close();
    expect(error).toBeInstanceOf(SecondFactorError);
    expect((error as SecondFactorError).code).toBe('delivery_failed');
    expect((error as SecondFactorError).detail).toMatchObject({ channel: 'email', reason: 'ESOCKET' });
  });

  it("sends each tenant's mail through that tenant's own server, asking for its settings once", async () => {
    const [a, b] = [await server(), await server()];
    const lookup = vi.fn((context: { tenantId?: string | undefined }) =>
      context.tenantId === 'partner-a' ? a.settings : b.settings,
    );
    const email = createEmailChannel({
      transport: lookup,
      from: (context) => ({
        name: `Partner ${context.tenantId}`,
        address: `no-reply@${context.tenantId}.example`,
      }),
    });
    const toA = message();
    const toB = message();
    await email.sendCode('ada@a.example', toA, { userId: 'u_1', tenantId: 'partner-a' });
    await email.sendCode('bob@b.example', toB, { userId: 'u_2', tenantId: 'partner-b' });
    await email.sendCode('cy@a.example', message(), { userId: 'u_3', tenantId: 'partner-a' });

    expect(a.delivered.map((d) => d.rcptTo)).toEqual([['ada@a.example'], ['cy@a.example']]);
    expect(b.delivered.map((d) => d.rcptTo)).toEqual([['bob@b.example']]);
    expect(codeIn(a.delivered[0] as Delivered)).toBe(toA.code);
    expect(codeIn(b.delivered[0] as Delivered)).toBe(toB.code);
    expect((a.delivered[0] as Delivered).mailFrom).toBe('no-reply@partner-a.example');
    expect(lookup).toHaveBeenCalledTimes(2);

    // After a partner changes its settings, forgetting the tenant makes the next delivery ask again.
    email.forgetTenant('partner-a');
    await email.sendCode('ada@a.example', message(), { userId: 'u_1', tenantId: 'partner-a' });
    expect(lookup).toHaveBeenCalledTimes(3);
    expect(a.delivered).toHaveLength(3);
    email.close();
  });

  it('uses a transporter the host returns for a tenant, and leaves it open on close()', async () => {
    const smtp = await server();
    const transporter = createTransport(smtp.settings);
    const close = vi.spyOn(transporter, 'close');
    const email = createEmailChannel({
      transport: async () => transporter,
      from: 'Acme <no-reply@acme.example>',
    });
    const sent = message();
    await email.sendCode('ada@example.com', sent, { userId: 'u_1', tenantId: 'partner-c' });
    email.close();
    expect(close).not.toHaveBeenCalled();
    transporter.close();
    expect(codeIn(smtp.delivered[0] as Delivered)).toBe(sent.code);
  });
});
