/**
 * The code e-mail without a server: the default template's wording for every purpose and lifetime,
 * HTML escaping of every interpolated value, custom templates per purpose, the one-recipient address
 * rule, and the console and memory e-mail channels.
 */
import {
  type CodeMessage,
  consoleEmailChannel,
  createEmailChannel,
  defaultEmailTemplate,
  escapeHtml,
  isEmailAddress,
  memoryEmailChannel,
} from '@secondfactor/channels';
import { describe, expect, it, vi } from 'vitest';

const MESSAGE: CodeMessage = { code: '493021', issuer: 'Acme', purpose: 'login', ttlSeconds: 600 };
const CONTEXT = { userId: 'u_1' };

describe('defaultEmailTemplate', () => {
  it('says issuer, code, purpose and lifetime, with a "Did not ask for this?" line, in both parts', () => {
    const { subject, text, html } = defaultEmailTemplate({ ...MESSAGE, account: 'ada@example.com' }, CONTEXT);
    expect(subject).toBe('Your Acme sign-in code');
    expect(text.split('\n').slice(0, 6)).toEqual([
      'Your Acme sign-in code is:',
      '',
      '493021',
      '',
      'Use it to sign in. It expires in 10 minutes.',
      'Account: ada@example.com',
    ]);
    expect(text).toMatch(/\nDid not ask for this\? .*do not share this code/);
    for (const part of [
      'Your Acme sign-in code is:',
      '493021',
      'It expires in 10 minutes.',
      'Did not ask for this?',
    ]) {
      expect(html).toContain(part);
    }
  });

  it('words each purpose differently, and G7: never puts the code in the subject', () => {
    const purposes = ['login', 'verify', 'disable', 'change'] as const;
    const rendered = purposes.map((purpose) => defaultEmailTemplate({ ...MESSAGE, purpose }, CONTEXT));
    expect(new Set(rendered.map((r) => r.subject)).size).toBe(4);
    expect(rendered[2]?.text).toContain('Use it to turn off two-step verification.');
    for (const r of rendered) expect(r.subject).not.toContain('493021');
  });

  it('rounds the lifetime down so it never promises more time than the code has', () => {
    const expires = (ttlSeconds: number) =>
      /It expires in ([^.]+)\./.exec(defaultEmailTemplate({ ...MESSAGE, ttlSeconds }, CONTEXT).text)?.[1];
    expect(expires(600)).toBe('10 minutes');
    expect(expires(119)).toBe('1 minute');
    expect(expires(60)).toBe('1 minute');
    expect(expires(59)).toBe('59 seconds');
    expect(expires(1)).toBe('1 second');
  });

  it('HTML-escapes every interpolated value', () => {
    const hostile = `<b onmouseover="x">'&'</b>`;
    const { html } = defaultEmailTemplate({ ...MESSAGE, issuer: hostile, account: hostile }, CONTEXT);
    expect(html).not.toContain('<b ');
    // Escaped where it appears: the <title>, the heading and the account line.
    expect(html.split(escapeHtml(hostile)).length - 1).toBe(3);
    expect(escapeHtml(hostile)).toBe('&lt;b onmouseover=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;');
  });
});

describe('isEmailAddress', () => {
  it('accepts one bare address', () => {
    for (const a of ['ada@example.com', 'a.b+tag@sub.example.co', "o'brien@example.ie", 'root@localhost']) {
      expect(isEmailAddress(a), a).toBe(true);
    }
  });

  it('refuses lists, display names, header injection and malformed addresses', () => {
    for (const a of [
      'ada@example.com, eve@example.net',
      'ada@example.com;eve@example.net',
      'Ada <ada@example.com>',
      'ada@example.com\r\nBcc: eve@example.net',
      '"ada"@example.com',
      'ada@@example.com',
      'ada@exa@mple.com',
      '@example.com',
      'ada@',
      'ada.@example.com',
      'ada@example..com',
      'ada example@example.com',
      `${'a'.repeat(65)}@example.com`,
      `a@${'b'.repeat(250)}.com`,
      '',
      42,
    ]) {
      expect(isEmailAddress(a), String(a)).toBe(false);
    }
  });

  it('the channel refuses a second recipient before rendering or connecting', async () => {
    const transport = vi.fn(() => ({ host: '127.0.0.1', port: 1 }));
    const email = createEmailChannel({ transport, from: 'no-reply@acme.example' });
    await expect(email.sendCode('ada@example.com, eve@example.net', MESSAGE, CONTEXT)).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringMatching(/^to must be one bare e-mail address/),
    });
    expect(transport).not.toHaveBeenCalled();
  });
});

describe('memoryEmailChannel and consoleEmailChannel', () => {
  it('memory: renders like the SMTP channel and records it; a custom template per purpose replaces the default', async () => {
    const email = memoryEmailChannel({
      templates: {
        disable: (m, context) => ({
          subject: `${m.issuer}: confirm`,
          text: `code ${m.code} for ${context.tenantId}`,
          html: '<p>x</p>',
        }),
      },
    });
    await email.sendCode('ada@example.com', MESSAGE, CONTEXT);
    await email.sendCode(
      'ada@example.com',
      { ...MESSAGE, purpose: 'disable' },
      { userId: 'u_1', tenantId: 't_2' },
    );
    expect(email.emails.map((e) => e.subject)).toEqual(['Your Acme sign-in code', 'Acme: confirm']);
    expect(email.last('ada@example.com')).toEqual({
      kind: 'code',
      to: 'ada@example.com',
      subject: 'Acme: confirm',
      text: 'code 493021 for t_2',
      html: '<p>x</p>',
      context: { userId: 'u_1', tenantId: 't_2' },
    });
    email.clear();
    expect(email.emails).toEqual([]);
  });

  it('console: writes one line with subject and text part', async () => {
    const lines: string[] = [];
    await consoleEmailChannel({ write: (l) => lines.push(l) }).sendCode('ada@example.com', MESSAGE, CONTEXT);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^email to ada@example\.com: "Your Acme sign-in code" "Your Acme sign-in code is:\\n\\n493021\\n/,
    );
  });

  it('refuses a bad message, context, template or template result, naming it', async () => {
    const email = memoryEmailChannel();
    await expect(email.sendCode('ada@example.com', { ...MESSAGE, code: '' }, CONTEXT)).rejects.toThrow(
      /^message\.code/,
    );
    await expect(email.sendCode('ada@example.com', MESSAGE, undefined as never)).rejects.toThrow(
      /^context must be/,
    );
    await expect(email.sendCode('ada@example.com', MESSAGE, { userId: '' })).rejects.toThrow(
      /^context\.userId/,
    );
    expect(() => memoryEmailChannel({ templates: { login: 'x' as never } })).toThrow(
      /^options\.templates\.login/,
    );
    const broken = memoryEmailChannel({
      templates: { login: () => ({ subject: 'a\r\nBcc: x', text: '', html: '' }) },
    });
    await expect(broken.sendCode('ada@example.com', MESSAGE, CONTEXT)).rejects.toThrow(
      /^template result\.subject/,
    );
    expect(() => createEmailChannel({ transport: 'smtp://x' as never, from: 'a@b.c' })).toThrow(
      /^options\.transport/,
    );
    expect(() => createEmailChannel({ transport: {}, from: { name: 'A', address: 'a, b@c.d' } })).toThrow(
      /^options\.from\.address/,
    );
    expect(email.emails).toEqual([]);
  });
});
