/**
 * @module
 * Handing a code to its channel: an e-mail, an SMS, or a flash call whose caller number ends in the
 * code, with an SMS instead once the policy's number of calls was placed (`voiceDeliveryChannel`).
 * The code goes into the message and nowhere else (checklist G7, J1).
 */
import { type CodePurpose, smsCodeText } from '@secondfactor/channels';
import { methodNotAllowed } from '../errors';
import type { ServiceContext } from '../options';
import { deliveredCodeFormat, generateCode, type OobMethod } from './codes';

/**
 * The channel a code went through.
 *
 * @example
 * ```ts
 * import type { DeliveryChannel } from '@secondfactor/service';
 *
 * const channel: DeliveryChannel = 'sms'; // a voice code after the policy's unanswered calls
 * ```
 */
export type DeliveryChannel = 'email' | 'sms' | 'voice';

/** Where a code goes and why. @internal */
export interface Delivery {
  method: OobMethod;
  address: string;
  purpose: CodePurpose;
  userId: string;
  tenantId?: string | undefined;
  /** Codes delivered before this one for the same challenge (calls count towards the SMS fallback). */
  deliveredBefore: number;
}

/** A code ready to send: its channel and lifetime; `send` delivers it. @internal */
export interface PreparedCode {
  channel: DeliveryChannel;
  code: string;
  ttlSeconds: number;
  maxAttempts: number;
}

/** The channel of the next code of `method`, when the service has its provider. @internal */
export function channelFor(ctx: ServiceContext, method: OobMethod, deliveredBefore: number): DeliveryChannel {
  return method === 'voice' ? ctx.policy.voiceDeliveryChannel(deliveredBefore) : method;
}

/** Whether the service can deliver codes of `method` (its provider was given). @internal */
export function canDeliver(ctx: ServiceContext, method: OobMethod): boolean {
  return ctx.channels[method] !== undefined;
}

/**
 * A new code for `delivery`: digits and lifetime of the method (a voice code sent as an SMS has the
 * digits of an SMS code; its attempt cap stays the voice challenge's). @internal
 */
export function prepareCode(ctx: ServiceContext, delivery: Delivery): PreparedCode {
  const channel = channelFor(ctx, delivery.method, delivery.deliveredBefore);
  const format = deliveredCodeFormat(ctx, delivery.method);
  const digits = channel === delivery.method ? format.digits : deliveredCodeFormat(ctx, channel).digits;
  return {
    channel,
    code: generateCode(ctx.random, digits),
    ttlSeconds: format.ttlSeconds,
    maxAttempts: format.maxAttempts,
  };
}

/** Sends a prepared code; a provider's `delivery_failed` reaches the caller. @internal */
export async function sendCode(
  ctx: ServiceContext,
  delivery: Delivery,
  prepared: PreparedCode,
): Promise<void> {
  const message = {
    code: prepared.code,
    issuer: ctx.issuer,
    purpose: delivery.purpose,
    ttlSeconds: prepared.ttlSeconds,
  };
  const { email, sms, voice } = ctx.channels;
  switch (prepared.channel) {
    case 'email':
      if (email === undefined) throw methodNotAllowed('email');
      return email.sendCode(delivery.address, message, {
        userId: delivery.userId,
        ...(delivery.tenantId === undefined ? {} : { tenantId: delivery.tenantId }),
      });
    case 'sms':
      if (sms === undefined) throw methodNotAllowed(delivery.method);
      return sms.send(delivery.address, smsCodeText(message));
    case 'voice':
      if (voice === undefined) throw methodNotAllowed('voice');
      return voice.flashCall(delivery.address, { callerSuffix: prepared.code });
  }
}

/**
 * Runs a delivery; when it fails, the code it carried is deleted with its challenge before the error
 * reaches the caller, so no code that never left stays valid in the store. The send still counts against
 * the limits (it was asked for). @internal
 */
export async function sendOrForget(
  ctx: ServiceContext,
  userId: string,
  challengeId: string,
  send: () => Promise<void>,
): Promise<void> {
  try {
    await send();
  } catch (error) {
    await ctx.store.deleteChallenge(userId, challengeId).catch(() => false);
    throw error;
  }
}
