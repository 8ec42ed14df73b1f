/**
 * @module
 * The session's state around a login: opening it from `startLogin`, the view the browser gets (never the
 * login id), and the state once the second step passed.
 */
import type { Method } from '@secondfactor/core';
import type { LoginStart } from '@secondfactor/service';
import type { PendingLogin, SecondFactorSession, SignedIn } from '../session-state';

/**
 * What the browser learns of a pending login (`GET /login`): never its id.
 *
 * @example
 * ```ts
 * import type { LoginView } from '@secondfactor/http';
 *
 * const view: LoginView = await (await fetch('/2fa/login')).json();
 * if (view.methods.includes('totp')) showCodeField();
 * ```
 */
export interface LoginView {
  state: 'challenge' | 'enroll';
  /** A step-up of a signed-in session. */
  stepUp: boolean;
  methods: readonly Method[];
  fallbackMethods: readonly Method[];
  /** The user's devices to choose from, addresses and chats masked. */
  devices: PendingLogin['devices'];
  deferrable: boolean;
  graceRemainingSeconds: number | null;
  expiresAt: number | null;
}

/** The pending login `startLogin` opened, for the session. @internal */
export function pendingOf(start: LoginStart, stepUp: boolean): PendingLogin | null {
  if ((start.state !== 'challenge' && start.state !== 'enroll') || start.loginId === null) return null;
  return {
    loginId: start.loginId,
    state: start.state,
    stepUp,
    methods: [...start.methods],
    fallbackMethods: [...start.fallbackMethods],
    devices: start.devices.map((device) => ({ ...device })),
    deferrable: start.deferrable,
    graceRemainingSeconds: start.graceRemainingSeconds,
    expiresAt: start.expiresAt,
  };
}

/** The browser's view of a pending login. @internal */
export function viewOf(pending: PendingLogin): LoginView {
  const { loginId: _kept, ...view } = pending;
  return view;
}

/** The state after the second step passed with `proof` under `sessionEpoch`. @internal */
export function signedInWith(
  state: SecondFactorSession,
  proof: { at: number; method: Method } | null,
  sessionEpoch: number | null,
): SecondFactorSession {
  const signedIn: SignedIn = { secondFactor: proof, sessionEpoch };
  return { ...state, signedIn, pending: null };
}
