/**
 * @module
 * The 2FA state the HTTP layer keeps in the host's session: who passed the password, the pending login
 * (its id never leaves the server, checklist I2), whether the second step passed and under which
 * session epoch, the Telegram link it waits for, and the CSRF token. Plain JSON, so any session store keeps it; read back through a
 * shape check, so a damaged or foreign value reads as "no state".
 */
import { isMethod, type Method } from '@secondfactor/core';
import type { LoginDevice, TwoFactorUser } from '@secondfactor/service';

/**
 * A login waiting for its second factor: the first one after the password, or a step-up.
 *
 * @example
 * ```ts
 * import type { PendingLogin } from '@secondfactor/http';
 *
 * const pending: PendingLogin | null = http.stateOf(session)?.pending ?? null;
 * ```
 */
export interface PendingLogin {
  /** The service's login id; never sent to the browser. */
  loginId: string;
  state: 'challenge' | 'enroll';
  /** A step-up of a signed-in session (`POST /login/step-up`): passing it refreshes the proof. */
  stepUp: boolean;
  methods: Method[];
  fallbackMethods: Method[];
  devices: LoginDevice[];
  deferrable: boolean;
  graceRemainingSeconds: number | null;
  expiresAt: number | null;
}

/**
 * A session that passed the second step (or needed none).
 *
 * @example
 * ```ts
 * import type { SignedIn } from '@secondfactor/http';
 *
 * const signedIn: SignedIn | null = http.stateOf(session)?.signedIn ?? null;
 * ```
 */
export interface SignedIn {
  /** The second factor passed in this session; `null` when none was needed or the set-up was postponed. */
  secondFactor: { at: number; method: Method } | null;
  /** The user's session epoch the session was verified under; `null` when the service gave none. */
  sessionEpoch: number | null;
  /**
   * A set-up put off ("Set up later"): when its grace ends (Unix ms). From then on the session is asked
   * to set up (`enrollment_required`), as the next login would be.
   */
  deferredUntil?: number | undefined;
}

/**
 * The whole state, under one key of the host's session.
 *
 * @example
 * ```ts
 * import type { SecondFactorSession } from '@secondfactor/http';
 *
 * const state: SecondFactorSession = res.locals.secondFactor; // after requireSecondFactor()
 * const method = state.signedIn?.secondFactor?.method;
 * ```
 */
export interface SecondFactorSession {
  v: 1;
  /** The user the host's password step named (`startSecondFactor`); never taken from a request. */
  user: TwoFactorUser;
  /** When the password was checked (the policy's `reauthenticatedAt`), `null` when unknown. */
  passwordAt: number | null;
  /** The synchronizer token for `csrf: { mode: 'token' }`. */
  csrfToken: string;
  signedIn: SignedIn | null;
  pending: PendingLogin | null;
  /**
   * The `linkId` of the Telegram link this session made (`POST /enrollment/telegram`) and waits for:
   * linking signs the user's other sessions out, and this one learns its new epoch from the link's status.
   */
  linkId?: string | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);
const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');
const isMethods = (value: unknown): value is Method[] => Array.isArray(value) && value.every(isMethod);

function isUser(value: unknown): value is TwoFactorUser {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    isStrings(value.roles) &&
    (value.tenantId === undefined || typeof value.tenantId === 'string')
  );
}

function isProof(value: unknown): boolean {
  return value === null || (isObject(value) && isTime(value.at) && isMethod(value.method));
}

function isSignedIn(value: unknown): value is SignedIn | null {
  if (value === null) return true;
  return (
    isObject(value) &&
    isProof(value.secondFactor) &&
    (value.sessionEpoch === null || isTime(value.sessionEpoch)) &&
    (value.deferredUntil === undefined || isTime(value.deferredUntil))
  );
}

function isPending(value: unknown): value is PendingLogin | null {
  if (value === null) return true;
  return (
    isObject(value) &&
    typeof value.loginId === 'string' &&
    (value.state === 'challenge' || value.state === 'enroll') &&
    typeof value.stepUp === 'boolean' &&
    isMethods(value.methods) &&
    isMethods(value.fallbackMethods) &&
    Array.isArray(value.devices) &&
    typeof value.deferrable === 'boolean'
  );
}

/** The state read from a session, or `null` when there is none or it is not one of ours. @internal */
export function parseState(value: unknown): SecondFactorSession | null {
  if (!isObject(value) || value.v !== 1) return null;
  const { user, passwordAt, csrfToken, signedIn, pending, linkId } = value;
  if (!isUser(user) || !(passwordAt === null || isTime(passwordAt)) || typeof csrfToken !== 'string')
    return null;
  if (!isSignedIn(signedIn) || !isPending(pending)) return null;
  if (linkId !== undefined && typeof linkId !== 'string') return null;
  return value as unknown as SecondFactorSession;
}
