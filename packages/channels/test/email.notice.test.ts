/**
 * The notice e-mail without a server: the default notice template's wording per method and its HTML
 * escaping, the checks on a notice and on the `noticeTemplate` option, and the memory and console
 * channels' notices.
 */
import {
  consoleEmailChannel,
  createEmailChannel,
  createOutbox,
  defaultNoticeTemplate,
  type EmailChannel,
  escapeHtml,
  memoryEmailChannel,
  type NoticeMessage,
} from '@secondfactor/channels';
import { describe, expect, it, vi } from 'vitest';

const AT = Date.UTC(2026, 4, 1, 12, 0, 0);
const NOTICE: NoticeMessage = { kind: 'address_changed', issuer: 'Acme', method: 'email', at: AT };
const CONTEXT = { userId: 'u_1' };

describe('defaultNoticeTemplate', () => {
  it('names what changed for each method, with the time in UTC and a contact-support line', () => {
    const rendered = (['email', 'sms', 'voice'] as const).map((method) =>
      defaultNoticeTemplate({ ...NOTICE, method }, CONTEXT),
    );
    expect(rendered.map((r) => r.subject)).toEqual([
      'Your Acme sign-in e-mail address was changed',
      'Your Acme sign-in phone number was changed',
      'Your Acme sign-in phone number was changed',
    ]);
    expect(rendered[0]?.text).toContain('Your Acme sign-in codes now go to a different e-mail address.');
    expect(rendered[1]?.text).toContain('Your Acme sign-in codes by SMS now go to a different phone number.');
    expect(rendered[2]?.text).toContain('Your Acme sign-in calls now go to a different phone number.');
    for (const { text, html } of rendered) {
      expect(text).toContain('When: 2026-05-01T12:00:00Z (UTC)');
      expect(text).toContain('If this was not you, contact Acme support now');
      expect(html).toContain('When: 2026-05-01T12:00:00Z (UTC)');
      expect(html).toContain('If this was not you, contact Acme support now');
    }
  });

  it('shows the time of the change in UTC to the second, whatever the process time zone', () => {
    const text = (at: number) => defaultNoticeTemplate({ ...NOTICE, at }, CONTEXT).text;
    expect(text(Date.UTC(2026, 11, 31, 23, 59, 59, 999))).toContain('When: 2026-12-31T23:59:59Z (UTC)');
    expect(text(0)).toContain('When: 1970-01-01T00:00:00Z (UTC)');
  });

  it('HTML-escapes the issuer wherever it appears', () => {
    const hostile = `<b onmouseover="x">'&'</b>`;
    const { subject, html } = defaultNoticeTemplate({ ...NOTICE, issuer: hostile }, CONTEXT);
    expect(subject).toContain(hostile);
    expect(html).not.toContain('<b ');
    // The <title>, the heading, the "now go to" line and the contact-support line.
    expect(html.split(escapeHtml(hostile)).length - 1).toBe(4);
  });
});

describe('sendNotice checks', () => {
  it('refuses a bad notice with invalid_argument naming the field, before rendering or connecting', async () => {
    const transport = vi.fn(() => ({ host: '127.0.0.1', port: 1 }));
    const noticeTemplate = vi.fn(defaultNoticeTemplate);
    const email = createEmailChannel({ transport, from: 'no-reply@acme.example', noticeTemplate });
    const cases: [unknown, RegExp][] = [
      [undefined, /^notice must be an object/],
      [null, /^notice must be an object/],
      ['address_changed', /^notice must be an object/],
      [{ ...NOTICE, kind: undefined }, /^notice\.kind must be one of address_changed/],
      [{ ...NOTICE, kind: 'password_changed' }, /^notice\.kind/],
      [{ ...NOTICE, issuer: '' }, /^notice\.issuer/],
      [{ ...NOTICE, issuer: 'Acme\r\nBcc: eve@example.net' }, /^notice\.issuer/],
      [{ ...NOTICE, issuer: 'x'.repeat(201) }, /^notice\.issuer/],
      [{ ...NOTICE, method: 'totp' }, /^notice\.method must be one of email, sms, voice/],
      [{ ...NOTICE, at: undefined }, /^notice\.at must be a time/],
      [{ ...NOTICE, at: '2026-05-01T12:00:00Z' }, /^notice\.at/],
      [{ ...NOTICE, at: Number.NaN }, /^notice\.at/],
      [{ ...NOTICE, at: Number.POSITIVE_INFINITY }, /^notice\.at/],
      [{ ...NOTICE, at: 8.64e15 + 1 }, /^notice\.at/],
    ];
    for (const [notice, message] of cases) {
      await expect(
        email.sendNotice('ada@old.example', notice as NoticeMessage, CONTEXT),
        JSON.stringify(notice),
      ).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(message) });
    }
    await expect(email.sendNotice('ada@old.example, eve@example.net', NOTICE, CONTEXT)).rejects.toThrow(
      /^to must be one bare e-mail address/,
    );
    await expect(email.sendNotice('ada@old.example', NOTICE, { userId: '' })).rejects.toThrow(
      /^context\.userId/,
    );
    await expect(email.sendNotice('ada@old.example', NOTICE, undefined as never)).rejects.toThrow(
      /^context must be an object/,
    );
    expect(noticeTemplate).not.toHaveBeenCalled();
    expect(transport).not.toHaveBeenCalled();
  });

  it('refuses a noticeTemplate option that is not a function, on each channel', () => {
    const bad = { noticeTemplate: 'Your address was changed' as never };
    expect(() => createEmailChannel({ transport: {}, from: 'no-reply@acme.example', ...bad })).toThrow(
      /^options\.noticeTemplate must be a function/,
    );
    expect(() => memoryEmailChannel(bad)).toThrow(/^options\.noticeTemplate must be a function/);
    expect(() => consoleEmailChannel(bad)).toThrow(/^options\.noticeTemplate must be a function/);
  });

  it('refuses a template result with a header-injecting subject or missing parts', async () => {
    const injecting = memoryEmailChannel({
      noticeTemplate: () => ({ subject: 'changed\r\nBcc: eve@example.net', text: '', html: '' }),
    });
    await expect(injecting.sendNotice('ada@old.example', NOTICE, CONTEXT)).rejects.toThrow(
      /^template result\.subject/,
    );
    const partless = memoryEmailChannel({ noticeTemplate: () => ({ subject: 'changed' }) as never });
    await expect(partless.sendNotice('ada@old.example', NOTICE, CONTEXT)).rejects.toThrow(
      /^template result must have string text and html parts/,
    );
    expect([...injecting.emails, ...partless.emails]).toEqual([]);
  });

  it('leaves sendNotice optional, so a host channel written before notices still is an EmailChannel', () => {
    const legacy = { async sendCode() {} } satisfies EmailChannel;
    const channel: EmailChannel = legacy;
    expect(channel.sendNotice).toBeUndefined();
  });
});

describe('memoryEmailChannel and consoleEmailChannel notices', () => {
  it('memory: records a notice as kind "notice" beside codes (kind "code"), and in the shared outbox', async () => {
    const outbox = createOutbox({ clock: () => 42 });
    const email = memoryEmailChannel({ outbox });
    await email.sendCode(
      'ada@new.example',
      { code: '493021', issuer: 'Acme', purpose: 'verify', ttlSeconds: 600 },
      CONTEXT,
    );
    await email.sendNotice('ada@old.example', NOTICE, { userId: 'u_1', tenantId: 't_2' });

    expect(email.emails.map((e) => [e.kind, e.to])).toEqual([
      ['code', 'ada@new.example'],
      ['notice', 'ada@old.example'],
    ]);
    expect(email.last('ada@old.example')).toEqual({
      kind: 'notice',
      to: 'ada@old.example',
      ...defaultNoticeTemplate(NOTICE, CONTEXT),
      context: { userId: 'u_1', tenantId: 't_2' },
    });
    expect(outbox.last({ channel: 'email', to: 'ada@old.example' })).toEqual({
      channel: 'email',
      to: 'ada@old.example',
      text: `Your Acme sign-in e-mail address was changed\n\n${defaultNoticeTemplate(NOTICE).text}`,
      at: 42,
    });
  });

  it('memory: a custom noticeTemplate replaces the default and receives the delivery context', async () => {
    const email = memoryEmailChannel({
      noticeTemplate: (notice, context) => ({
        subject: `${notice.issuer}: ${notice.method} changed`,
        text: `for ${context.userId}`,
        html: '<p>x</p>',
      }),
    });
    await email.sendNotice('ada@old.example', { ...NOTICE, method: 'voice' }, CONTEXT);
    expect(email.last()).toMatchObject({ kind: 'notice', subject: 'Acme: voice changed', text: 'for u_1' });
  });

  it('console: writes one line with the subject and text part of the notice', async () => {
    const lines: string[] = [];
    await consoleEmailChannel({ write: (l) => lines.push(l) }).sendNotice('ada@old.example', NOTICE, CONTEXT);
    expect(lines).toEqual([
      `email to ada@old.example: "Your Acme sign-in e-mail address was changed" ${JSON.stringify(
        defaultNoticeTemplate(NOTICE).text,
      )}`,
    ]);
    expect(lines[0]).toContain('When: 2026-05-01T12:00:00Z (UTC)');
  });
});
