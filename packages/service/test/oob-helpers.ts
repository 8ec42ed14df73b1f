/**
 * @module
 * Shared setup of the out-of-band tests: a service with the in-memory e-mail, SMS and voice providers of
 * `@secondfactor/channels` writing to one outbox, every event captured, and readers that take a code
 * back out of the last message the way the user reads it.
 */
import {
  createOutbox,
  type MemoryEmailChannel,
  type MemorySmsProvider,
  type MemoryVoiceProvider,
  memoryEmailChannel,
  memorySmsProvider,
  memoryVoiceProvider,
  type Outbox,
} from '@secondfactor/channels';
import type { RandomSource } from '@secondfactor/core';
import { createPolicy, type PolicyConfig } from '@secondfactor/policy';
import {
  createTwoFactor,
  type OobChannels,
  type SendLimits,
  type TwoFactor,
  type TwoFactorEvent,
} from '@secondfactor/service';
import { MemoryStore, type SecondFactorStore } from '@secondfactor/store';
import { asActor, codeSent, newUser, type TestClock, testClock, testServiceOptions } from './fixtures';

/** Authenticator apps, e-mail and SMS codes side by side; e-mail codes live the longest G2 allows. */
export const withCodes: PolicyConfig = {
  name: 'withCodes',
  tenancy: 'single',
  methods: { allowed: ['totp', 'email', 'sms', 'backup_code'] },
  self: { toggle: true },
  deliveredCodes: { digits: 6, ttlSeconds: { email: 600 } },
  backupCodes: { issue: true, acknowledgementRequired: false, count: 10 },
};

export interface OobHarness {
  twoFactor: TwoFactor;
  store: SecondFactorStore;
  clock: TestClock;
  events: TwoFactorEvent[];
  email: MemoryEmailChannel;
  sms: MemorySmsProvider;
  voice: MemoryVoiceProvider;
  outbox: Outbox;
}

export interface OobHarnessOptions {
  store?: SecondFactorStore | undefined;
  policy?: PolicyConfig | undefined;
  clock?: TestClock | undefined;
  random?: RandomSource | undefined;
  sendLimits?: SendLimits | undefined;
  enrollmentTtlSeconds?: number | undefined;
  /** Which providers the service gets. @default all three */
  channels?: ReadonlyArray<keyof OobChannels> | undefined;
  /** The service's e-mail channel sends codes only, as a host's own channel without `sendNotice`. */
  emailWithoutNotice?: boolean | undefined;
}

export function oobHarness(options: OobHarnessOptions = {}): OobHarness {
  const store = options.store ?? new MemoryStore();
  const clock = options.clock ?? testClock();
  const outbox = createOutbox({ clock });
  const email = memoryEmailChannel({ outbox });
  const sms = memorySmsProvider({ outbox });
  const voice = memoryVoiceProvider({ outbox });
  const events: TwoFactorEvent[] = [];
  const given = options.channels ?? ['email', 'sms', 'voice'];
  const base = testServiceOptions(clock, events);
  const twoFactor = createTwoFactor({
    ...base,
    store,
    policy: createPolicy(options.policy ?? withCodes),
    random: options.random ?? base.random,
    sendLimits: options.sendLimits,
    enrollmentTtlSeconds: options.enrollmentTtlSeconds,
    channels: {
      ...(given.includes('email')
        ? { email: options.emailWithoutNotice === true ? { sendCode: email.sendCode.bind(email) } : email }
        : {}),
      ...(given.includes('sms') ? { sms } : {}),
      ...(given.includes('voice') ? { voice } : {}),
    },
  });
  return { twoFactor, store, clock, events, email, sms, voice, outbox };
}

/** The code of the last e-mail to `to`: the line that is only digits. */
export function emailCode(h: OobHarness, to: string): string {
  const code = h.email.last(to)?.text.match(/^([0-9]+)$/m)?.[1];
  if (code === undefined) throw new Error(`no code e-mail to ${to}`);
  return code;
}

/** The code of the last SMS to `to`: the message starts with it. */
export function smsCode(h: OobHarness, to: string): string {
  const code = h.sms.last(to)?.text.match(/^([0-9]+) /)?.[1];
  if (code === undefined) throw new Error(`no code SMS to ${to}`);
  return code;
}

/** A code of the same length other than `code`. */
export const wrongCode = (code: string): string =>
  [...code].map((digit) => String((Number(digit) + 1) % 10)).join('');

/** Waits out the cooldown between two sends to one destination (30 s by default). */
export const afterCooldown = (h: OobHarness, seconds = 30): void => h.clock.advance(seconds * 1000);

/** A user with a verified e-mail address (his first factor), and the address. */
export async function withEmail(h: OobHarness, user = newUser(), address = `${user.id}@example.com`) {
  const added = await codeSent(h.twoFactor.addAddress(asActor(user), { method: 'email', address }));
  const confirmed = await h.twoFactor.verifyAddress(asActor(user), {
    enrollmentId: added.enrollmentId,
    code: emailCode(h, address),
  });
  afterCooldown(h);
  return { user, address, deviceId: confirmed.credentialId, backupCodes: confirmed.backupCodes };
}

/**
 * A CSPRNG whose delivered codes are scripted: each request the size of a 6-digit code's draw (6
 * bytes) takes the next code of `codes`, so a test can give two challenges the same code. Everything
 * else (ids, keys) comes from `crypto.getRandomValues`.
 */
export function scriptedCodes(codes: readonly string[]): RandomSource {
  const queue = [...codes];
  return (bytes) => {
    const code = bytes.length === 6 ? queue.shift() : undefined;
    if (code === undefined) {
      crypto.getRandomValues(bytes);
      return;
    }
    bytes.fill(0);
    bytes.set([...code].map(Number));
  };
}
