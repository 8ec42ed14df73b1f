/**
 * @module
 * E-mail addresses and phone numbers as second factors: `addAddress` keeps the address as a pending
 * enrollment and sends it a code (`verifyAddress`, in `address-verification.ts`, activates it: nothing
 * is active before, H1), `resendAddressCode` sends a new one (G6, G8). "Change number" is `addAddress`
 * with `replaces`: it needs a current second factor (the policy's `canReplaceDevice`) and tells the old
 * number or address once the new one is verified (G9). Removing an address is `removeDevice`.
 */
import { isE164, isEmailAddress } from '@secondfactor/channels';
import type { Actor, PolicyContext } from '@secondfactor/policy';
import type { ChallengeRecord, CredentialRecord, PendingEnrollmentRecord } from '@secondfactor/store';
import { askSetUp, checkReplaces } from '../enrollment';
import { deviceNotFound, enrollmentNotFound, invalidArgument, methodNotAllowed } from '../errors';
import { type EventScope, emit } from '../events';
import { checkName } from '../input';
import type { ServiceContext } from '../options';
import {
  checkActor,
  checkProofsAt,
  checkTenancy,
  type LoadedSubject,
  loadSubject,
  policyContext,
} from '../subject';
import { storeCode } from './challenge';
import { isOobMethod, type OobMethod } from './codes';
import { canDeliver, type DeliveryChannel, prepareCode, sendCode, sendOrForget } from './deliver';
import { addressHint } from './hint';
import { takeSend } from './send-limits';

/**
 * What `addAddress` takes.
 *
 * @example
 * ```ts
 * import type { AddAddressInput } from '@secondfactor/service';
 *
 * const input: AddAddressInput = { method: 'sms', address: '+4915112345612', label: 'Work phone' };
 * ```
 */
export interface AddAddressInput {
  method: OobMethod;
  /** One bare e-mail address for `email`; an E.164 number (`+4915112345612`) for `sms` and `voice`. */
  address: string;
  /**
   * The device's name in the user's list.
   * @default 'E-mail' for e-mail, 'Phone' for SMS and voice
   */
  label?: string | undefined;
  /**
   * "Change number": the id of the actor's device of the same method that the new address replaces once
   * verified. Needs a current second factor (G9); the old destination is told of the change.
   */
  replaces?: string | undefined;
}

/**
 * A code went to the address: what `resendAddressCode` answers, and `addAddress` for an address that
 * must be verified. The code itself is never part of it (G7).
 *
 * @example
 * ```ts
 * import type { AddressCodeSent } from '@secondfactor/service';
 *
 * const sent: AddressCodeSent = await twoFactor.resendAddressCode(actor, { enrollmentId });
 * session.pendingAddress = sent.enrollmentId;
 * ```
 */
export interface AddressCodeSent {
  status: 'code_sent';
  /** Pass to `verifyAddress` and `resendAddressCode`. */
  enrollmentId: string;
  /** When the code just sent expires (Unix ms). */
  expiresAt: number;
  /** How long the user waits before asking for another code. */
  resendAfterMs: number;
  /** How the code went out (a voice number gets an SMS once the policy's calls were placed). */
  channel: DeliveryChannel;
}

/**
 * What `resendAddressCode` takes.
 *
 * @example
 * ```ts
 * import type { ResendAddressCodeInput } from '@secondfactor/service';
 *
 * const input: ResendAddressCodeInput = { enrollmentId: session.pendingAddress };
 * ```
 */
export interface ResendAddressCodeInput {
  enrollmentId: string;
}

/**
 * The number was verified by another person of the actor's tenant and the policy trusts that
 * (`self.trustPhoneVerifiedInTenant`): no code was sent, the device exists switched off, and
 * `switchOnDevice` ("Enable authentication") makes it a second factor.
 *
 * @example
 * ```ts
 * import type { AddressTrusted } from '@secondfactor/service';
 *
 * const trusted: AddressTrusted = { status: 'trusted', credentialId: 'c_1', method: 'sms' };
 * ```
 */
export interface AddressTrusted {
  status: 'trusted';
  /** The new device, switched off: pass it to `switchOnDevice`. */
  credentialId: string;
  method: OobMethod;
}

/**
 * What `addAddress` answers: a code was sent (`code_sent`), or the number needed none (`trusted`).
 *
 * @example
 * ```ts
 * import type { AddressAdded } from '@secondfactor/service';
 *
 * const added: AddressAdded = await twoFactor.addAddress(actor, { method: 'sms', address: '+4915112345612' });
 * if (added.status === 'code_sent') session.pendingAddress = added.enrollmentId;
 * else await twoFactor.switchOnDevice(actor, { deviceId: added.credentialId });
 * ```
 */
export type AddressAdded = AddressCodeSent | AddressTrusted;

const ENROLLMENT_ID = /^[A-Za-z0-9_-]{22}$/;
const DEFAULT_LABEL: Readonly<Record<OobMethod, string>> = { email: 'E-mail', sms: 'Phone', voice: 'Phone' };

/** The challenge of an address's verification code, derived from its enrollment id. @internal */
export const verifyChallengeId = (enrollmentId: string): string => `${enrollmentId}.verify`;

function checkAddress(method: OobMethod, address: unknown): string {
  if (method === 'email') {
    if (!isEmailAddress(address)) throw invalidArgument('input.address', 'must be one bare e-mail address');
    return address;
  }
  if (!isE164(address))
    throw invalidArgument('input.address', 'must be an E.164 phone number (+4915112345612)');
  return address;
}

function checkMethod(ctx: ServiceContext, method: unknown): OobMethod {
  if (!isOobMethod(method)) throw invalidArgument('input.method', "must be 'email', 'sms' or 'voice'");
  if (!canDeliver(ctx, method)) throw methodNotAllowed(method);
  return method;
}

/** Whether the old destination of a changed `method` device can be told (G9). @internal */
export const canNotify = (ctx: ServiceContext, method: OobMethod): boolean =>
  method === 'email' ? ctx.channels.email?.sendNotice !== undefined : ctx.channels.sms !== undefined;

/** @internal */
export const scopeOf = (actor: Actor): EventScope => ({
  userId: actor.id,
  tenantId: actor.tenantId,
  actorId: actor.id,
});

/** The device `replaces` names: one of the actor's, of the same method (another user's is not found, H3). */
export function replacedDevice(
  credentials: readonly CredentialRecord[],
  id: string,
  method: OobMethod,
): CredentialRecord {
  const device = credentials.find((credential) => credential.id === id && credential.kind === method);
  if (device === undefined || device.address === undefined) throw deviceNotFound();
  return device;
}

/** @internal See `TwoFactor.addAddress`. */
export async function addAddress(
  ctx: ServiceContext,
  actorInput: Actor,
  input: AddAddressInput,
): Promise<AddressAdded> {
  const actor = checkActor(actorInput);
  if (typeof input !== 'object' || input === null) throw invalidArgument('input', 'must be an object');
  const method = checkMethod(ctx, input.method);
  const address = checkAddress(method, input.address);
  const label = input.label === undefined ? DEFAULT_LABEL[method] : checkName('input.label', input.label);
  const replaces = checkReplaces('input.replaces', input.replaces);
  // G9: the old destination is told of the change: a number by SMS, an e-mail address by a notice
  // e-mail. Without a way to tell it, no change is made.
  if (replaces !== undefined && !canNotify(ctx, method)) {
    throw invalidArgument(
      'input.replaces',
      method === 'email'
        ? 'needs an e-mail channel with sendNotice, to tell the old address'
        : 'needs options.channels.sms, to tell the old number',
    );
  }

  const now = ctx.now();
  // Only the owner adds an address (H3): the subject is the actor himself, and the policy checks it too.
  const loaded = await loadSubject(ctx.store, actor);
  if (replaces !== undefined) replacedDevice(loaded.all, replaces, method);
  const policyCtx = await policyContext(ctx, actor, now);
  askSetUp(ctx, actor, loaded, replaces, policyCtx, method);
  // A new number (not a change of one) another person of the tenant verified needs no code where the
  // policy trusts that: it is added switched off, for the user to switch on.
  if (replaces === undefined && method !== 'email' && ctx.policy.settings.self.trustPhoneVerifiedInTenant) {
    const trusted = await trustVerifiedNumber(ctx, actor, loaded, { method, address, label }, now, policyCtx);
    if (trusted !== null) return trusted;
  }
  await takeSend(ctx, actor.id, address, now);

  const enrollmentId = ctx.ids.id();
  const enrollmentExpiresAt = now + ctx.enrollmentTtlMs;
  await ctx.store.createPendingEnrollment({
    id: enrollmentId,
    userId: actor.id,
    ...(actor.tenantId === undefined ? {} : { tenantId: actor.tenantId }),
    kind: method,
    label,
    address,
    createdAt: now,
    expiresAt: enrollmentExpiresAt,
  });
  const hint = addressHint(method, address);
  await emit(ctx, scopeOf(actor), 'enrollment.started', now, { method, enrollmentId, hint });
  const sent = await sendVerification(
    ctx,
    actor,
    { enrollmentId, method, address, replaces },
    now,
    enrollmentExpiresAt,
    0,
  );
  return { status: 'code_sent', enrollmentId, ...sent };
}

/** The number as a device switched off, when another person of the tenant verified it. */
async function trustVerifiedNumber(
  ctx: ServiceContext,
  actor: Actor,
  loaded: LoadedSubject,
  number: { method: OobMethod; address: string; label: string },
  now: number,
  policyCtx: PolicyContext,
): Promise<AddressTrusted | null> {
  const holders = await ctx.store.listAddressHolders({
    ...(actor.tenantId === undefined ? {} : { tenantId: actor.tenantId }),
    address: number.address,
    limit: 10,
  });
  const by = holders.find(
    (holder) => holder.userId !== actor.id && (holder.kind === 'sms' || holder.kind === 'voice'),
  );
  if (by === undefined) return null;
  const verifiedBy = { userId: by.userId, ...(by.tenantId === undefined ? {} : { tenantId: by.tenantId }) };
  if (!ctx.policy.canSkipPhoneVerification(actor, loaded.subject, { verifiedBy }, policyCtx).allowed) {
    return null;
  }
  const credentialId = ctx.ids.id();
  await ctx.store.addCredential({
    id: credentialId,
    userId: actor.id,
    ...(actor.tenantId === undefined ? {} : { tenantId: actor.tenantId }),
    kind: number.method,
    label: number.label,
    address: number.address,
    createdAt: now,
    switchedOffAt: now,
  });
  await emit(ctx, scopeOf(actor), 'address.trusted', now, {
    method: number.method,
    credentialId,
    hint: addressHint(number.method, number.address),
  });
  return { status: 'trusted', credentialId, method: number.method };
}

/** @internal */
export interface PendingAddress {
  enrollmentId: string;
  method: OobMethod;
  address: string;
  replaces: string | undefined;
}

async function sendVerification(
  ctx: ServiceContext,
  actor: Actor,
  pending: PendingAddress,
  now: number,
  notAfter: number,
  deliveredBefore: number,
): Promise<Omit<AddressCodeSent, 'enrollmentId' | 'status'>> {
  const { enrollmentId, method, address } = pending;
  const challengeId = verifyChallengeId(enrollmentId);
  const delivery = {
    method,
    address,
    purpose: 'verify' as const,
    userId: actor.id,
    tenantId: actor.tenantId,
    deliveredBefore,
  };
  const prepared = prepareCode(ctx, delivery);
  const existing = deliveredBefore === 0 ? null : await ctx.store.getChallenge(actor.id, challengeId);
  const stored = await storeCode(
    ctx,
    {
      userId: actor.id,
      tenantId: actor.tenantId,
      challengeId,
      method,
      purpose: 'enroll',
      notAfter,
      ...(pending.replaces === undefined ? {} : { data: { replaces: pending.replaces } }),
    },
    existing,
    prepared,
    now,
  );
  if (stored === null) throw enrollmentNotFound();
  await sendOrForget(ctx, actor.id, challengeId, () => sendCode(ctx, delivery, prepared));
  await emit(ctx, scopeOf(actor), 'code.sent', now, {
    method,
    channel: prepared.channel,
    purpose: 'enroll',
    hint: addressHint(method, address),
    deliveries: deliveredBefore + 1,
    enrollmentId,
  });
  return { expiresAt: stored.expiresAt, resendAfterMs: ctx.sendLimits.cooldownMs, channel: prepared.channel };
}

/** A pending address, its record and its verification challenge. @internal */
export interface OpenedAddress {
  pending: PendingEnrollmentRecord;
  challenge: ChallengeRecord;
  address: PendingAddress;
}

/** The actor's pending address and its verification challenge, or `enrollment_not_found`. @internal */
export async function openPendingAddress(
  ctx: ServiceContext,
  actor: Actor,
  enrollmentId: unknown,
  now: number,
): Promise<OpenedAddress> {
  if (typeof enrollmentId !== 'string' || !ENROLLMENT_ID.test(enrollmentId)) throw enrollmentNotFound();
  // H2, H3: read only together with the actor's own id, and only while it has not expired.
  const pending = await ctx.store.getPendingEnrollment(actor.id, enrollmentId, { now });
  if (pending === null || pending.address === undefined || !isOobMethod(pending.kind))
    throw enrollmentNotFound();
  const challenge = await ctx.store.getChallenge(actor.id, verifyChallengeId(enrollmentId));
  if (challenge === null || challenge.consumedAt !== undefined) throw enrollmentNotFound();
  const replaces = typeof challenge.data?.replaces === 'string' ? challenge.data.replaces : undefined;
  return {
    pending,
    challenge,
    address: { enrollmentId, method: pending.kind, address: pending.address, replaces },
  };
}

/** @internal See `TwoFactor.resendAddressCode`. */
export async function resendAddressCode(
  ctx: ServiceContext,
  actorInput: Actor,
  input: ResendAddressCodeInput,
): Promise<AddressCodeSent> {
  const actor = checkActor(actorInput);
  if (typeof input !== 'object' || input === null) throw invalidArgument('input', 'must be an object');
  const now = ctx.now();
  // This call asks the policy nothing: its checks of the actor's tenant and proofs are made here.
  checkTenancy(ctx, 'actor', actor);
  checkProofsAt(actor, now);
  const { pending, challenge, address } = await openPendingAddress(ctx, actor, input.enrollmentId, now);
  if (!canDeliver(ctx, address.method)) throw methodNotAllowed(address.method);
  await takeSend(ctx, actor.id, address.address, now);
  const sent = await sendVerification(ctx, actor, address, now, pending.expiresAt, challenge.deliveries);
  return { status: 'code_sent', enrollmentId: address.enrollmentId, ...sent };
}
