/**
 * @module
 * `importCredential`: a host moving from otplib, otpauth or speakeasy brings its users' existing
 * authenticator secrets along, so nobody has to scan a new QR code. The secret is checked (at least 128
 * bits, checklist B2), sealed like any other (B6, B7) and stored as a confirmed device with the last
 * step or counter the old system accepted, so a code already used there cannot pass here (RFC 6238 §5.2,
 * RFC 4226 §7.2). Nothing of the secret is returned, logged or audited.
 */
import {
  ALGORITHMS,
  type Algorithm,
  base32Decode,
  MIN_SECRET_BYTES,
  SecondFactorError,
} from '@secondfactor/core';
import type { Actor } from '@secondfactor/policy';
import { invalidArgument, policyDenied } from './errors';
import { emit } from './events';
import { checkName } from './input';
import type { ServiceContext } from './options';
import { checkActor, checkProofsAt, checkTenancy } from './subject';

/**
 * An existing authenticator secret, as otplib, otpauth or speakeasy kept it.
 *
 * | library | `secret` | `encoding` | `lastUsedStep` |
 * | --- | --- | --- | --- |
 * | otplib, otpauth | the base32 secret | `base32` | the last accepted time step, if the host kept one |
 * | speakeasy | `secret.base32` (or `secret.hex`) | `base32` (or `hex`) | TOTP: as above; HOTP: the stored `counter` minus 1 (speakeasy keeps the next one expected) |
 *
 * @example
 * ```ts
 * import type { ImportCredentialInput } from '@secondfactor/service';
 *
 * // A speakeasy HOTP user: speakeasy stores the next counter it expects.
 * const input: ImportCredentialInput = { method: 'hotp', secret: row.secret.hex, encoding: 'hex', lastUsedStep: row.counter - 1 };
 * await twoFactor.importCredential(user, input);
 * ```
 */
export interface ImportCredentialInput {
  /** `totp` (time-based) or `hotp` (counter-based). */
  method: 'totp' | 'hotp';
  /** The secret as the old system stored it. */
  secret: string;
  /**
   * How `secret` is written: base32 (RFC 4648, case and spaces ignored) or hex.
   * @default 'base32'
   */
  encoding?: 'base32' | 'hex' | undefined;
  /** @default 'SHA1' */
  algorithm?: Algorithm | undefined;
  /** 6 to 8. @default 6 */
  digits?: number | undefined;
  /** TOTP time step in seconds, 15 to 300. @default 30 */
  period?: number | undefined;
  /** The last time step (TOTP) or counter (HOTP) the old system accepted; omitted when unknown. */
  lastUsedStep?: number | undefined;
  /** The device's name in the user's list. @default 'Authenticator app' */
  label?: string | undefined;
}

/**
 * The imported device.
 *
 * @example
 * ```ts
 * import type { ImportedCredential } from '@secondfactor/service';
 *
 * const imported: ImportedCredential = await twoFactor.importCredential(user, { method: 'totp', secret: row.otpSecret });
 * migrated.push({ userId: user.id, credentialId: imported.credentialId });
 * ```
 */
export interface ImportedCredential {
  credentialId: string;
  method: 'totp' | 'hotp';
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

function decodeSecret(secret: unknown, encoding: unknown): Uint8Array {
  if (typeof secret !== 'string' || secret.length > 1024) {
    throw invalidArgument('input.secret', 'must be a string of at most 1024 characters');
  }
  let bytes: Uint8Array;
  if (encoding === undefined || encoding === 'base32') {
    try {
      bytes = base32Decode(secret.replace(/[\s-]/g, '').toUpperCase());
    } catch {
      throw new SecondFactorError('invalid_base32', 'input.secret is not valid base32');
    }
  } else if (encoding === 'hex') {
    if (!HEX.test(secret)) throw invalidArgument('input.secret', 'must be hex (an even number of 0-9, a-f)');
    bytes = Uint8Array.from(secret.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
  } else {
    throw invalidArgument('input.encoding', "must be 'base32' or 'hex'");
  }
  if (bytes.length < MIN_SECRET_BYTES) {
    bytes.fill(0);
    // B2: a secret of fewer than 128 bits is refused on import as on generation.
    throw new SecondFactorError(
      'invalid_secret',
      `input.secret must hold at least ${MIN_SECRET_BYTES} bytes (128 bits); ask the user to set up again`,
    );
  }
  return bytes;
}

function wholeNumber(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(name, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** @internal See `TwoFactor.importCredential`. */
export async function importCredential(
  ctx: ServiceContext,
  actorInput: Actor,
  input: ImportCredentialInput,
): Promise<ImportedCredential> {
  const actor = checkActor(actorInput);
  checkTenancy(ctx, 'actor', actor);
  checkProofsAt(actor, ctx.now());
  if (typeof input !== 'object' || input === null) throw invalidArgument('input', 'must be an object');
  const { method, algorithm = 'SHA1', label = 'Authenticator app' } = input;
  if (method !== 'totp' && method !== 'hotp')
    throw invalidArgument('input.method', "must be 'totp' or 'hotp'");
  if (!ALGORITHMS.includes(algorithm))
    throw invalidArgument('input.algorithm', 'must be SHA1, SHA256 or SHA512');
  const digits = wholeNumber('input.digits', input.digits, 6, 6, 8);
  const period = wholeNumber('input.period', input.period, 30, 15, 300);
  const lastUsedStep =
    input.lastUsedStep === undefined
      ? undefined
      : wholeNumber('input.lastUsedStep', input.lastUsedStep, 0, 0, Number.MAX_SAFE_INTEGER);
  checkName('input.label', label);
  // A migration carries over a set-up that already happened, so the set-up questions (fresh proofs,
  // grace) do not apply; the method itself must still be one the policy accepts.
  if (!ctx.policy.settings.methods.allowed.includes(method))
    throw policyDenied('method_not_allowed', `importing ${method}`);
  const secret = decodeSecret(input.secret, input.encoding);
  const now = ctx.now();
  const credentialId = ctx.ids.id();
  try {
    await ctx.store.addCredential({
      id: credentialId,
      userId: actor.id,
      ...(actor.tenantId === undefined ? {} : { tenantId: actor.tenantId }),
      kind: method,
      label,
      otp: {
        secretCiphertext: ctx.secretBox.seal(secret, { userId: actor.id, credentialId }),
        algorithm,
        digits,
        ...(method === 'totp' ? { period } : {}),
      },
      ...(lastUsedStep === undefined ? {} : { lastUsedStep }),
      createdAt: now,
    });
  } finally {
    secret.fill(0);
  }
  await emit(
    ctx,
    { userId: actor.id, tenantId: actor.tenantId, actorId: actor.id },
    'credential.imported',
    now,
    {
      method,
      credentialId,
    },
  );
  return { credentialId, method };
}
