/**
 * @module
 * The pending login: a store challenge of kind `login` that stands between "the password was right" and
 * "the second factor passed". It lives server-side, expires (at most 10 minutes, checklist I3), is bound
 * to its user, counts wrong codes up to a cap, and is completed exactly once (by the store's
 * `completeLogin`, in the same step that records the code).
 *
 * The login id the host receives is `<challenge id>.<base64url(user id)>`: the store reads a challenge
 * only together with its user, and the 128-bit random challenge id is the capability. An id whose user
 * part was changed names no challenge of that user (checklist H3, I2).
 */
import type { Method } from '@secondfactor/core';
import type { ChallengeRecord, SecondFactorStore } from '@secondfactor/store';
import { loginExpired } from './errors';
import { base64url, fromBase64url } from './random-id';

const CHALLENGE_ID = /^[A-Za-z0-9_-]{22}$/;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The parts of a login id. @internal */
export interface LoginRef {
  userId: string;
  challengeId: string;
}

/** The login id the host keeps for a pending login. @internal */
export function formatLoginId(ref: LoginRef): string {
  return `${ref.challengeId}.${base64url(new TextEncoder().encode(ref.userId))}`;
}

/** Parses a login id; anything else is the one "expired or unknown login" answer. @internal */
export function parseLoginId(loginId: unknown): LoginRef {
  if (typeof loginId !== 'string' || loginId.length > 400) throw loginExpired();
  const dot = loginId.indexOf('.');
  const challengeId = loginId.slice(0, dot);
  const userBytes = dot < 0 ? null : fromBase64url(loginId.slice(dot + 1));
  if (!CHALLENGE_ID.test(challengeId) || userBytes === null || userBytes.length === 0) throw loginExpired();
  try {
    return { challengeId, userId: decoder.decode(userBytes) };
  } catch {
    throw loginExpired();
  }
}

/** What a pending login offered, kept in its challenge record (never taken from a request, I6). @internal */
export interface LoginOffer {
  /** `challenge`: answered with a code; `enroll`: completed by confirming a set-up. */
  state: 'challenge' | 'enroll';
  methods: readonly Method[];
  fallbackMethods: readonly Method[];
  /** The TOTP credential a code is checked against unless the request names another of the user's. */
  totpCredentialId: string | undefined;
  /** The same for HOTP. */
  hotpCredentialId: string | undefined;
  /** The host's verified e-mail address, where the policy sends e-mail codes without a set-up. */
  accountEmail: string | undefined;
  /** Push: the random part of the login's approval id (its approval challenge's id), when push is offered. */
  pushApprovalId?: string | undefined;
  /** `enroll` in a grace period: when the grace ends (Unix ms); until then the set-up may be put off. */
  graceEndsAt?: number | undefined;
}

const list = (value: unknown): Method[] =>
  typeof value === 'string' && value !== '' ? (value.split(',') as Method[]) : [];

/** The challenge's `data` for an offer. @internal */
export function offerData(offer: LoginOffer): Record<string, string> {
  return {
    state: offer.state,
    methods: offer.methods.join(','),
    fallbackMethods: offer.fallbackMethods.join(','),
    ...(offer.totpCredentialId === undefined ? {} : { totp: offer.totpCredentialId }),
    ...(offer.hotpCredentialId === undefined ? {} : { hotp: offer.hotpCredentialId }),
    ...(offer.accountEmail === undefined ? {} : { email: offer.accountEmail }),
    ...(offer.pushApprovalId === undefined ? {} : { push: offer.pushApprovalId }),
    ...(offer.graceEndsAt === undefined ? {} : { graceEndsAt: String(offer.graceEndsAt) }),
  };
}

/**
 * The pending login, if it can still be answered at `now`: known, of this user, a login, not completed,
 * not expired and not out of attempts. Anything else throws the one "expired or unknown" error. @internal
 */
export async function openLogin(
  store: SecondFactorStore,
  ref: LoginRef,
  now: number,
): Promise<{ challenge: ChallengeRecord; offer: LoginOffer }> {
  const challenge = await store.getChallenge(ref.userId, ref.challengeId);
  if (
    challenge === null ||
    challenge.kind !== 'login' ||
    challenge.purpose !== 'login' ||
    challenge.consumedAt !== undefined ||
    now >= challenge.expiresAt ||
    challenge.attempts >= challenge.maxAttempts
  ) {
    throw loginExpired();
  }
  const data = challenge.data ?? {};
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  return {
    challenge,
    offer: {
      state: data.state === 'enroll' ? 'enroll' : 'challenge',
      methods: list(data.methods),
      fallbackMethods: list(data.fallbackMethods),
      totpCredentialId: text(data.totp),
      hotpCredentialId: text(data.hotp),
      accountEmail: text(data.email),
      pushApprovalId: text(data.push),
      graceEndsAt: typeof data.graceEndsAt === 'string' ? Number(data.graceEndsAt) : undefined,
    },
  };
}
