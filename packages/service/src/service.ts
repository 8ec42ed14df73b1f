/**
 * @module
 * `createTwoFactor`: the one object a host calls from its login. It composes the packages below it
 * (core, backup-codes, policy, store) and owns no rule of its own: the policy decides, the store keeps
 * every guarantee, the service calls them in the right order.
 */
import type { Actor } from '@secondfactor/policy';
import type { SweepExpiredResult } from '@secondfactor/store';
import {
  type BeginEnrollmentOptions,
  beginEnrollment,
  type ConfirmEnrollmentInput,
  confirmEnrollment,
  type EnrollmentConfirmed,
  type EnrollmentStart,
} from './enrollment';
import { invalidArgument } from './errors';
import {
  type LoginStart,
  type LoginSuccess,
  type StartLoginOptions,
  startLogin,
  type VerifyLoginInput,
  verifyLogin,
} from './login';
import { resolveOptions, type TwoFactorOptions } from './options';
import type { TwoFactorUser } from './subject';

/** Options of {@link TwoFactor.sweep}. */
export interface SweepOptions {
  /**
   * Records that lapsed at this time are removed; pass a time in the past to keep the backoff of recent
   * lockouts (see the store's `sweepExpired`).
   * @default the service's clock minus one day
   */
  now?: number | undefined;
  /**
   * Records of each kind one call removes at most.
   * @default 1000
   */
  limit?: number | undefined;
}

/**
 * The 2FA service. Every method takes the identities explicitly; everything else comes from the store.
 * Errors are `SecondFactorError`s with stable codes (see the package README).
 */
export interface TwoFactor {
  /**
   * After the password was right: what this login needs. `challenge` opens a pending login (server-side,
   * expiring, single use, attempt-capped, bound to the user) and returns its `loginId`.
   *
   * @throws {SecondFactorError} `invalid_argument` for a bad user object or a fact the policy lacks.
   * @example
   * ```ts
   * const start = await twoFactor.startLogin({ id: user.id, roles: user.roles });
   * if (start.state === 'challenge') session.pendingLogin = start.loginId;
   * ```
   */
  startLogin(user: TwoFactorUser, options?: StartLoginOptions): Promise<LoginStart>;
  /**
   * Checks a code against a pending login. Resolves the login's proof on success; rejects with
   * `otp_invalid` ("Otp invalid!"), `otp_replayed`, `locked_out` (`detail.retryAfterMs`),
   * `challenge_expired` (an expired, unknown, completed or exhausted login: one answer) or
   * `policy_denied` with `detail.reason: 'method_not_allowed'`.
   *
   * @example
   * ```ts
   * const proof = await twoFactor.verifyLogin({ loginId: session.pendingLogin, method: 'totp', code: body.code });
   * session.secondFactor = { at: proof.at, method: proof.method };
   * ```
   */
  verifyLogin(input: VerifyLoginInput): Promise<LoginSuccess>;
  /**
   * Starts setting up an authenticator app for the actor himself: a sealed, expiring pending enrollment
   * (nothing is active yet, H1) and what the app needs. The only response that ever holds the secret.
   *
   * @throws {SecondFactorError} `policy_denied` (with the decision's `detail.reason`) when the policy refuses.
   * @example
   * ```ts
   * const { enrollmentId, uri, manualKey } = await twoFactor.beginEnrollment(actor, { method: 'totp' });
   * ```
   */
  beginEnrollment(actor: Actor, options: BeginEnrollmentOptions): Promise<EnrollmentStart>;
  /**
   * Activates a pending enrollment with a code of the new app, recording its step, and issues the first
   * backup codes when the policy says so (returned this once).
   *
   * @throws {SecondFactorError} `otp_invalid`, `locked_out`, `enrollment_not_found`.
   * @example
   * ```ts
   * const { backupCodes } = await twoFactor.confirmEnrollment(actor, { enrollmentId, code: body.code });
   * ```
   */
  confirmEnrollment(actor: Actor, input: ConfirmEnrollmentInput): Promise<EnrollmentConfirmed>;
  /**
   * Removes lapsed pending logins, enrollments, trusted devices and attempt counters, a bounded number per
   * call; call again while `more`. For the host to run from a timer.
   *
   * @example
   * ```ts
   * setInterval(async () => {
   *   while ((await twoFactor.sweep()).more);
   * }, 60_000);
   * ```
   */
  sweep(options?: SweepOptions): Promise<SweepExpiredResult>;
}

/**
 * Creates the 2FA service. Validates every option first: a bad one throws `invalid_argument` naming it.
 *
 * @throws {SecondFactorError} `invalid_argument` for a missing or bad option, including a policy that
 * names tenant features without `tenantFeatures`.
 * @example
 * ```ts
 * import { createPolicy, selfService } from '@secondfactor/policy';
 * import { createTwoFactor } from '@secondfactor/service';
 * import { MemoryStore, SecretBox } from '@secondfactor/store';
 *
 * const twoFactor = createTwoFactor({
 *   store: new MemoryStore(),
 *   secretBox: new SecretBox({ keys: { k1: secretKey }, currentKeyId: 'k1' }),
 *   backupCodeKey,
 *   policy: createPolicy(selfService),
 *   issuer: 'Example',
 * });
 * ```
 */
export function createTwoFactor(options: TwoFactorOptions): TwoFactor {
  const ctx = resolveOptions(options);
  const service: TwoFactor = {
    startLogin: (user, startOptions) => startLogin(ctx, user, startOptions),
    verifyLogin: (input) => verifyLogin(ctx, input),
    beginEnrollment: (actor, enrollOptions) => beginEnrollment(ctx, actor, enrollOptions),
    confirmEnrollment: (actor, input) => confirmEnrollment(ctx, actor, input),
    sweep: async (sweepOptions = {}) => {
      if (typeof sweepOptions !== 'object' || sweepOptions === null) {
        throw invalidArgument('options', 'must be an object');
      }
      const now = sweepOptions.now ?? Math.max(0, ctx.now() - 86_400_000);
      return ctx.store.sweepExpired({ now, limit: sweepOptions.limit ?? 1000 });
    },
  };
  return Object.freeze(service);
}
