/**
 * The shared outbox: every memory provider writes into one ordered list the demo shows, stamped by an
 * injected clock, bounded, filterable, and isolated from changes made to what it hands out.
 */
import {
  createOutbox,
  memoryEmailChannel,
  memorySmsProvider,
  memoryVoiceProvider,
  type OutboxEntry,
} from '@secondfactor/channels';
import { describe, expect, it } from 'vitest';

const MESSAGE = { code: '493021', issuer: 'Acme', purpose: 'login', ttlSeconds: 600 } as const;

function stepClock(start: number): () => number {
  let now = start;
  return () => now++;
}

describe('createOutbox', () => {
  it('lists the messages of every memory provider in the order they were sent', async () => {
    const outbox = createOutbox({ clock: stepClock(1000) });
    const email = memoryEmailChannel({ outbox });
    const sms = memorySmsProvider({ outbox });
    const voice = memoryVoiceProvider({ outbox });

    await sms.send('+15551234567', 'first');
    await voice.flashCall('+15551234567', { callerSuffix: '4821' });
    await email.sendCode('ada@example.com', MESSAGE, { userId: 'u_1' });
    await sms.send('+15559876543', 'last');

    const entries = outbox.entries;
    expect(entries.map((e) => [e.channel, e.to, e.at])).toEqual([
      ['sms', '+15551234567', 1000],
      ['voice', '+15551234567', 1001],
      ['email', 'ada@example.com', 1002],
      ['sms', '+15559876543', 1003],
    ]);
    expect(entries[1]?.text).toBe('Flash call from a number ending in 4821');
    expect(entries[2]?.text).toMatch(/^Your Acme sign-in code\n\nYour Acme sign-in code is:\n\n493021\n/);
  });

  it('filters by channel and recipient, and finds the newest match', () => {
    const outbox = createOutbox({ clock: stepClock(0) });
    outbox.add({ channel: 'sms', to: '+15551234567', text: 'a' });
    outbox.add({ channel: 'voice', to: '+15551234567', text: 'b' });
    outbox.add({ channel: 'sms', to: '+15559876543', text: 'c' });
    outbox.add({ channel: 'sms', to: '+15551234567', text: 'd' });
    expect(outbox.list({ channel: 'sms' }).map((e) => e.text)).toEqual(['a', 'c', 'd']);
    expect(outbox.list({ to: '+15551234567' }).map((e) => e.text)).toEqual(['a', 'b', 'd']);
    expect(outbox.last({ channel: 'voice' })?.text).toBe('b');
    expect(outbox.last()?.text).toBe('d');
    expect(outbox.last({ channel: 'telegram' })).toBeUndefined();
  });

  it('keeps at most `limit` entries, dropping the oldest, and forgets everything on clear()', () => {
    const outbox = createOutbox({ clock: stepClock(0), limit: 2 });
    for (const text of ['1', '2', '3']) outbox.add({ channel: 'sms', to: '+15551234567', text });
    expect(outbox.entries.map((e) => e.text)).toEqual(['2', '3']);
    outbox.clear();
    expect(outbox.entries).toEqual([]);
  });

  it('hands out copies: changing a returned list does not change the outbox', () => {
    const outbox = createOutbox();
    outbox.add({ channel: 'sms', to: '+15551234567', text: 'a' });
    (outbox.entries as OutboxEntry[]).pop();
    expect(outbox.entries).toHaveLength(1);
  });

  it('clearing a provider forgets its own records but not the shared outbox', async () => {
    const outbox = createOutbox();
    const sms = memorySmsProvider({ outbox });
    await sms.send('+15551234567', 'a');
    sms.clear();
    expect(sms.messages).toEqual([]);
    expect(outbox.entries).toHaveLength(1);
  });

  it('refuses bad options and entries, naming them', () => {
    expect(() => createOutbox({ clock: 1 as never })).toThrow(/^options\.clock must be a function/);
    expect(() => createOutbox({ limit: 0 })).toThrow(/^options\.limit/);
    const outbox = createOutbox();
    expect(() => outbox.add({ channel: 'fax' as never, to: 'x', text: 'y' })).toThrow(/^entry\.channel/);
    expect(() => outbox.add({ channel: 'sms', to: 1 as never, text: 'y' })).toThrow(/^entry\.to/);
    expect(() => memorySmsProvider({ outbox: {} as never })).toThrow(/^options\.outbox must be an outbox/);
  });
});
