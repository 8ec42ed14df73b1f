/**
 * @module
 * Delivered codes: uniform digits from the injected CSPRNG (checklist G1), a keyed digest bound to the
 * user, the challenge and its purpose (G4, G5), and the format the policy gives each method (digits,
 * lifetime of at most ten minutes, G2). A code lives only in the message that carries it: it is never
 * returned, logged, audited or stored (G7, J1).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { fillRandom, type Method, type RandomSource, SecondFactorError } from '@secondfactor/core';
import type { ChallengePurpose } from '@secondfactor/store';
import { invalidArgument } from '../errors';
import type { ServiceContext } from '../options';

/**
 * The methods whose codes the service delivers.
 *
 * @example
 * ```ts
 * import type { OobMethod } from '@secondfactor/service';
 *
 * const method: OobMethod = 'email';
 * ```
 */
export type OobMethod = 'email' | 'sms' | 'voice';

/** @internal */
export const OOB_METHODS: readonly OobMethod[] = ['email', 'sms', 'voice'];

/** @internal */
export const isOobMethod = (method: unknown): method is OobMethod =>
  method === 'email' || method === 'sms' || method === 'voice';

// The longest lifetime checklist G2 allows; the policy validates it too, this keeps it whatever the policy says.
const MAX_TTL_SECONDS = 600;
// 250 is the largest multiple of 10 a byte holds: bytes from 250 up are drawn again (no modulo bias, G1).
const UNBIASED_LIMIT = 250;

/** Digits, lifetime and attempt cap of a code of `method`, from the policy. @internal */
export interface DeliveredCodeFormat {
  digits: number;
  ttlSeconds: number;
  maxAttempts: number;
}

/** The policy's format of a delivered code of `method`. @internal */
export function deliveredCodeFormat(ctx: ServiceContext, method: Method): DeliveredCodeFormat {
  const format = ctx.policy.codeFormat(method);
  if (format.digits === undefined || format.ttlSeconds === undefined) {
    throw invalidArgument('method', `${method} has no delivered code`);
  }
  return {
    digits: format.digits,
    ttlSeconds: Math.min(format.ttlSeconds, MAX_TTL_SECONDS),
    maxAttempts: format.maxAttempts,
  };
}

/** A code of `digits` decimal digits, each uniform, by rejection sampling over random bytes. @internal */
export function generateCode(random: RandomSource, digits: number): string {
  let code = '';
  for (let round = 0; code.length < digits; round++) {
    // A CSPRNG rejects a byte with probability 6/256: a source that keeps failing is broken.
    if (round === 64)
      throw new SecondFactorError('internal', 'options.random keeps producing rejected bytes');
    // Exactly the bytes still needed: every byte drawn is used or rejected, none skipped.
    const bytes = fillRandom(random, new Uint8Array(digits - code.length), 'options.random');
    for (const byte of bytes) if (byte < UNBIASED_LIMIT) code += String(byte % 10);
    bytes.fill(0);
  }
  return code;
}

/** What a digest binds a code to (G4). @internal */
export interface CodeBinding {
  userId: string;
  challengeId: string;
  purpose: ChallengePurpose;
}

const encoder = new TextEncoder();

// Each field is length-prefixed, so no two bindings share an input.
function field(value: string): Uint8Array {
  const bytes = encoder.encode(value);
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function key(ctx: ServiceContext): Uint8Array {
  if (ctx.codeKey === undefined) throw invalidArgument('options.codeKey', 'is required for delivered codes');
  return ctx.codeKey;
}

/**
 * The keyed digest stored for a code (HMAC-SHA-256 under `codeKey`, G5): the same code for another
 * user, challenge or purpose has another digest, so it passes nothing else (G4). @internal
 */
export function codeDigest(ctx: ServiceContext, binding: CodeBinding, code: string): string {
  const message = concat([
    field('secondfactor/delivered-code/v1'),
    field(binding.userId),
    field(binding.challengeId),
    field(binding.purpose),
    field(code),
  ]);
  return bytesToHex(hmac(sha256, key(ctx), message));
}

/**
 * A short keyed name of a destination, for the send counters: the counters then hold no address in
 * clear, and one destination has one name whoever asks. @internal
 */
export function destinationName(ctx: ServiceContext, address: string): string {
  return bytesToHex(
    hmac(sha256, key(ctx), concat([field('secondfactor/destination/v1'), field(address.toLowerCase())])),
  ).slice(0, 40);
}
