/**
 * @module
 * The guards, one per kind of route. Each reads only the server-side state (checklist I1, I2):
 *
 * | kind | passes |
 * | --- | --- |
 * | `public` | always (the Telegram webhook, authenticated by its own secret header) |
 * | `session` | a session the host's password step started (`startSecondFactor`) |
 * | `pending` | a session with a login waiting for its second factor |
 * | `setup` | a signed-in session, or one whose login waits for the first set-up |
 * | `link` | `setup`, or the session that made the Telegram link in the path, though the user's epoch moved on |
 * | `signedIn` | a session that passed the second step (or needed none), under the user's current epoch |
 * | `admin` | `signedIn`, and the host's admin directory names the user in the path as the actor's |
 */
import { SecondFactorError } from '@secondfactor/core';
import { DEFAULT_MESSAGES } from '@secondfactor/service';
import { HttpError } from './errors';
import { DEFAULT_HTTP_MESSAGES } from './messages';
import type { HttpContext } from './options';
import type { SecondFactorSession, SignedIn } from './session-state';

/**
 * The kinds of guard a route can stand behind (see the module's table).
 *
 * @example
 * ```ts
 * import { type GuardKind, ROUTES } from '@secondfactor/http';
 *
 * const kinds: GuardKind[] = ROUTES.map((route) => route.guard);
 * ```
 */
export type GuardKind = 'public' | 'session' | 'pending' | 'setup' | 'link' | 'signedIn' | 'admin';

const message = (code: string): string => DEFAULT_HTTP_MESSAGES[code] ?? code;

/** No session of ours: the password step has not run. @internal */
export const unauthenticated = (): SecondFactorError =>
  new SecondFactorError('unauthenticated', message('unauthenticated'));

/**
 * The one answer for a wrong code, an expired code, an unknown or expired login and a session without a
 * login (checklist I11): the same code, message and status whatever the cause. @internal
 */
export const loginFailed = (): SecondFactorError =>
  new SecondFactorError('otp_invalid', DEFAULT_MESSAGES.otpInvalid);

/** The session needs its second factor (again). @internal */
export const secondFactorRequired = (reason?: 'revoked'): HttpError =>
  new HttpError(
    'second_factor_required',
    message('second_factor_required'),
    reason === undefined ? undefined : { reason },
  );

/** The state, or `unauthenticated` without one. */
function present(state: SecondFactorSession | null): SecondFactorSession {
  if (state === null) throw unauthenticated();
  return state;
}

/** The session waits for its first set-up, which completes its login (the `setup` guard passes it). */
const awaitsSetup = (state: SecondFactorSession | null): boolean =>
  state?.signedIn === null && state.pending?.state === 'enroll';

/**
 * The session's signed-in part, its epoch not yet asked about; throws `unauthenticated`,
 * `enrollment_required` (with the grace period's detail) or `second_factor_required`.
 */
function signedInOf(ctx: HttpContext, state: SecondFactorSession | null): SignedIn {
  const { signedIn, pending } = present(state);
  if (signedIn?.deferredUntil !== undefined && ctx.now() >= signedIn.deferredUntil) {
    // The grace the set-up was put off for has ended: the session sets up now, as a login would.
    throw new HttpError('enrollment_required', message('enrollment_required'), {
      deferrable: false,
      graceRemainingSeconds: null,
    });
  }
  if (signedIn !== null) return signedIn;
  if (pending?.state === 'enroll') {
    throw new HttpError('enrollment_required', message('enrollment_required'), {
      deferrable: pending.deferrable,
      graceRemainingSeconds: pending.graceRemainingSeconds,
    });
  }
  throw secondFactorRequired();
}

/** Whether the session was verified under the user's current epoch (I5, H9). */
const isCurrent = async (ctx: HttpContext, userId: string, signedIn: SignedIn): Promise<boolean> =>
  signedIn.sessionEpoch === null || (await ctx.twoFactor.isSessionCurrent(userId, signedIn.sessionEpoch));

/**
 * The session's signed-in part when it passes `signedIn`; throws the refusal otherwise: `unauthenticated`,
 * `enrollment_required` (with the grace period's detail), or `second_factor_required` (also once the
 * user's session epoch moved past this session's, I5, H9). @internal
 */
export async function requireSignedIn(
  ctx: HttpContext,
  state: SecondFactorSession | null,
): Promise<SignedIn> {
  const signedIn = signedInOf(ctx, state);
  if (!(await isCurrent(ctx, present(state).user.id, signedIn))) {
    throw secondFactorRequired('revoked');
  }
  return signedIn;
}

/**
 * `requireSignedIn`, and a second factor passed at most `maxAgeMs` ago; a session without one (no 2FA,
 * or a postponed set-up) never passes. @internal
 */
export async function requireRecent(
  ctx: HttpContext,
  state: SecondFactorSession | null,
  maxAgeMs: number,
): Promise<SignedIn> {
  const signedIn = await requireSignedIn(ctx, state);
  const proof = signedIn.secondFactor;
  if (proof === null || ctx.now() - proof.at > maxAgeMs) {
    throw new HttpError('recent_second_factor_required', message('recent_second_factor_required'), {
      maxAgeMs,
    });
  }
  return signedIn;
}

/**
 * Throws unless the state passes the route's guard (`admin` is finished by the route). Answers whether
 * the session passed though its epoch moved on: only the `link` guard lets such a session through, to
 * the status of the Telegram link it made (`params.linkId`, kept in its state). @internal
 */
export async function passGuard(
  ctx: HttpContext,
  kind: GuardKind,
  state: SecondFactorSession | null,
  params: Readonly<Record<string, string>>,
): Promise<{ revoked: boolean }> {
  const passed = { revoked: false };
  switch (kind) {
    case 'public':
      return passed;
    case 'session':
      present(state);
      return passed;
    case 'pending':
      if (present(state).pending === null) throw loginFailed();
      return passed;
    case 'setup':
      if (awaitsSetup(state)) return passed;
      await requireSignedIn(ctx, state);
      return passed;
    case 'link': {
      if (awaitsSetup(state)) return passed;
      const signedIn = signedInOf(ctx, state);
      const { user, linkId } = present(state);
      if (await isCurrent(ctx, user.id, signedIn)) return passed;
      // Linking the chat signed the other sessions out, and this one with them until the link's status
      // gives it the new epoch: only the session that made this very link may ask.
      if (linkId !== undefined && linkId === params.linkId) return { revoked: true };
      throw secondFactorRequired('revoked');
    }
    case 'signedIn':
    case 'admin':
      await requireSignedIn(ctx, state);
      return passed;
  }
}
