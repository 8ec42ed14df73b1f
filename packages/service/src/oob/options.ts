/**
 * @module
 * The options of out-of-band delivery: the channels that carry codes, the key of their digests and the
 * send limits (checklist G5, G8), validated once at creation like every other option.
 */
import type { EmailChannel, SmsProvider, VoiceProvider } from '@secondfactor/channels';
import type { Policy } from '@secondfactor/policy';
import { invalidArgument } from '../errors';

/**
 * The providers that deliver out-of-band codes. A method whose channel is absent is not offered at
 * login and cannot be added.
 *
 * @example
 * ```ts
 * import { memoryEmailChannel, memorySmsProvider } from '@secondfactor/channels';
 * import type { OobChannels } from '@secondfactor/service';
 *
 * const channels: OobChannels = { email: memoryEmailChannel(), sms: memorySmsProvider() };
 * ```
 */
export interface OobChannels {
  /** Carries e-mail codes (`createEmailChannel` of `@secondfactor/channels`). */
  email?: EmailChannel | undefined;
  /** Carries SMS codes, the SMS fallback of voice calls and the "number changed" notices. */
  sms?: SmsProvider | undefined;
  /** Places flash calls whose caller number ends in the code. */
  voice?: VoiceProvider | undefined;
}

/**
 * A number of sends within a window.
 *
 * @example
 * ```ts
 * import type { SendLimit } from '@secondfactor/service';
 *
 * const perDestination: SendLimit = { max: 5, windowSeconds: 900 };
 * ```
 */
export interface SendLimit {
  /** Sends allowed within the window (1 to 1000). */
  max: number;
  /** The window, in seconds (1 to 86400); once `max` sends were made, the next waits this long. */
  windowSeconds: number;
}

/**
 * How often codes may be sent (checklist G8: against message flooding and SMS pumping). Every send
 * (first code and resend, sign-in and verification) counts.
 *
 * @example
 * ```ts
 * import type { SendLimits } from '@secondfactor/service';
 *
 * const sendLimits: SendLimits = { perDestination: { max: 3, windowSeconds: 900 }, cooldownSeconds: 60 };
 * ```
 */
export interface SendLimits {
  /**
   * Sends to one address or number, whoever asks.
   * @default { max: 5, windowSeconds: 900 }
   */
  perDestination?: SendLimit | undefined;
  /**
   * Sends for one user, to any of his destinations.
   * @default { max: 10, windowSeconds: 3600 }
   */
  perAccount?: SendLimit | undefined;
  /**
   * Seconds between two sends to one destination (0 to 3600; 0 turns the wait off).
   * @default 30
   */
  cooldownSeconds?: number | undefined;
}

/** The validated send limits. @internal */
export interface ResolvedSendLimits {
  perDestination: SendLimit;
  perAccount: SendLimit;
  cooldownMs: number;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

function wholeNumber(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(name, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function checkLimit(name: string, value: unknown, fallback: SendLimit): SendLimit {
  if (value === undefined) return fallback;
  if (!isObject(value)) throw invalidArgument(name, 'must be { max, windowSeconds }');
  return {
    max: wholeNumber(`${name}.max`, value.max, fallback.max, 1, 1000),
    windowSeconds: wholeNumber(
      `${name}.windowSeconds`,
      value.windowSeconds,
      fallback.windowSeconds,
      1,
      86_400,
    ),
  };
}

/** Validates `options.sendLimits`. @internal */
export function checkSendLimits(value: unknown): ResolvedSendLimits {
  if (value !== undefined && !isObject(value))
    throw invalidArgument('options.sendLimits', 'must be an object');
  const limits = value ?? {};
  return {
    perDestination: checkLimit('options.sendLimits.perDestination', limits.perDestination, {
      max: 5,
      windowSeconds: 900,
    }),
    perAccount: checkLimit('options.sendLimits.perAccount', limits.perAccount, {
      max: 10,
      windowSeconds: 3600,
    }),
    cooldownMs: wholeNumber('options.sendLimits.cooldownSeconds', limits.cooldownSeconds, 30, 0, 3600) * 1000,
  };
}

const CHANNEL_METHODS = { email: 'sendCode', sms: 'send', voice: 'flashCall' } as const;

/** Validates `options.channels`; the voice fallback of the policy needs the SMS provider. @internal */
export function checkChannels(value: unknown, policy: Policy): OobChannels {
  if (value === undefined) return {};
  if (!isObject(value)) throw invalidArgument('options.channels', 'must be an object');
  const channels: OobChannels = {};
  for (const [name, method] of Object.entries(CHANNEL_METHODS)) {
    const channel = value[name];
    if (channel === undefined) continue;
    if (!isObject(channel) || typeof channel[method] !== 'function') {
      throw invalidArgument(`options.channels.${name}`, `must be an object with a ${method} function`);
    }
    Object.assign(channels, { [name]: channel });
  }
  if (channels.voice !== undefined && channels.sms === undefined) {
    if (policy.settings.methods.voiceFallbackToSmsAfter !== undefined) {
      throw invalidArgument(
        'options.channels.sms',
        'is required: the policy sends an SMS after unanswered calls (voiceFallbackToSmsAfter)',
      );
    }
  }
  return channels;
}

/**
 * Validates `options.codeKey`: at least 32 bytes, copied; `backupCodeKey` when absent; required when
 * channels are given and there is no backup-code key to fall back on. @internal
 */
export function checkCodeKey(
  value: unknown,
  backupCodeKey: unknown,
  channels: OobChannels,
): Uint8Array | undefined {
  if (value === undefined) {
    if (backupCodeKey instanceof Uint8Array) return backupCodeKey.slice();
    if (Object.keys(channels).length > 0) {
      throw invalidArgument(
        'options.codeKey',
        'is required with options.channels when only a backupCodeHasher is given (32 random bytes)',
      );
    }
    return undefined;
  }
  if (!(value instanceof Uint8Array) || value.length < 32) {
    throw invalidArgument('options.codeKey', 'must be a Uint8Array of at least 32 random bytes');
  }
  return value.slice();
}
