/**
 * @module
 * The baseline of the service bench (`service.ts`): the same login written directly against
 * `@secondfactor/core`, `@secondfactor/store` and `@secondfactor/policy`, with every store call and every
 * check the service makes, and nothing else (no input parsing, no login-id encoding, no event listener).
 * The difference to the service is what the service's own layer costs.
 */
import { randomUUID } from 'node:crypto';
import { type Method, verifyTotp } from '@secondfactor/core';
import type { Policy, Subject } from '@secondfactor/policy';
import type { CredentialRecord, SecondFactorStore, SecretBox } from '@secondfactor/store';

/** What the bare login needs: the service's store, secret box, policy and clock. */
export interface BareDeps {
  readonly store: SecondFactorStore;
  readonly secretBox: SecretBox;
  readonly policy: Policy;
  readonly now: () => number;
  /** Lifetime of a pending login, ms (the service's default, 300 s). */
  readonly loginTtlMs?: number | undefined;
  /**
   * How a right code completes the login: `'record-then-delete'` is `recordOtpUse`, `deleteChallenge`,
   * `appendAudit` (three calls, the credential read every time); `'complete-login'` is one
   * `completeLogin` with the audit record, the sealed credential kept in a process cache after its first
   * read (the path of a service that has the store's one-step primitive).
   * @default 'record-then-delete'
   */
  readonly path?: BarePath | undefined;
}

/** See {@link BareDeps.path}. */
export type BarePath = 'record-then-delete' | 'complete-login';

/** A pending login of the bare path: the caller keeps the user and the challenge id in its session. */
export interface BarePending {
  readonly userId: string;
  readonly challengeId: string;
}

/** The two halves of a login, as the service's `startLogin` and `verifyLogin`. */
export interface BareLogin {
  start(user: { id: string; roles: readonly string[] }): Promise<BarePending>;
  verify(pending: BarePending, code: string): Promise<void>;
}

const list = (value: unknown): Method[] =>
  typeof value === 'string' && value !== '' ? (value.split(',') as Method[]) : [];

/**
 * The login on the bare packages. `start`: the user's facts (settings, credentials, backup codes), the
 * policy's `loginRequirement`, a login challenge holding the offer, the `login.started` audit record.
 * `verify`: the challenge (expiry, attempts, offer); the credential with the lock state of the user's and
 * the credential's failure keys (`getCredentialForVerification`; on the `complete-login` path only when
 * the process cache lacks it); the sealed secret opened and `verifyTotp` with the policy's window, the
 * stored drift and the last used step; then the success step of {@link BareDeps.path} (replay guard,
 * secret unchanged, not locked, counters reset, the login completed once, `login.succeeded` audited).
 * Anything but a success throws: the bench only times successful logins.
 */
export function bareLogin(deps: BareDeps): BareLogin {
  const { store, secretBox, policy, now: clock } = deps;
  const ttl = deps.loginTtlMs ?? 300_000;
  const oneStep = deps.path === 'complete-login';
  const cache = new Map<string, CredentialRecord>();
  const { past, future } = policy.settings.otp.window;
  const clamp = (drift: number): number => Math.max(-past, Math.min(future, drift));

  async function start(user: { id: string; roles: readonly string[] }): Promise<BarePending> {
    const now = clock();
    const [settings, credentials, backupCodes] = await Promise.all([
      store.getUserSettings(user.id),
      store.listCredentials(user.id),
      store.getBackupCodeSet(user.id),
    ]);
    const devices = credentials.map((credential) => ({ method: credential.kind, id: credential.id }));
    const subject: Subject = {
      id: user.id,
      roles: user.roles,
      settings: {
        useTwoFactor: settings?.useTwoFactor ?? null,
        mayToggle: settings?.mayToggle ?? null,
        enrollment: devices.length > 0 ? 'active' : 'none',
        devices,
        backupCodesRemaining: backupCodes?.remaining ?? 0,
        graceStartedAt: settings?.graceStartedAt ?? null,
      },
    };
    const requirement = policy.loginRequirement(subject, { now });
    if (requirement.kind !== 'challenge') throw new Error(`bare login: ${requirement.kind}, not challenge`);
    const totp = credentials
      .filter((credential) => credential.kind === 'totp')
      .sort((a, b) => a.createdAt - b.createdAt)[0];
    const challengeId = randomUUID();
    await store.createChallenge({
      id: challengeId,
      userId: user.id,
      kind: 'login',
      purpose: 'login',
      digest: null,
      createdAt: now,
      expiresAt: now + ttl,
      maxAttempts: policy.failureLimits().maxFailures,
      data: {
        methods: requirement.methods.join(','),
        fallbackMethods: requirement.fallbackMethods.join(','),
        ...(totp === undefined ? {} : { totp: totp.id }),
      },
    });
    await store.appendAudit({
      id: randomUUID(),
      at: now,
      type: 'login.started',
      userId: user.id,
      data: { state: 'challenge', reason: requirement.reason, methods: requirement.methods },
    });
    return { userId: user.id, challengeId };
  }

  async function verify({ userId, challengeId }: BarePending, code: string): Promise<void> {
    const now = clock();
    const challenge = await store.getChallenge(userId, challengeId);
    if (
      challenge === null ||
      challenge.kind !== 'login' ||
      challenge.consumedAt !== undefined ||
      now >= challenge.expiresAt ||
      challenge.attempts >= challenge.maxAttempts ||
      !list(challenge.data?.methods).includes('totp')
    ) {
      throw new Error('bare login: the pending login is gone');
    }
    const credentialId = challenge.data?.totp;
    if (typeof credentialId !== 'string') throw new Error('bare login: no TOTP credential offered');
    const keys = [`user:${userId}`, `cred:${credentialId}`];
    const cacheKey = `${userId}\u0000${credentialId}`;
    let credential = oneStep ? cache.get(cacheKey) : undefined;
    if (credential === undefined) {
      const read = await store.getCredentialForVerification(userId, credentialId, { now, failureKeys: keys });
      if (read.credential === null) throw new Error('bare login: no credential');
      if (read.failures.some((state) => state.lockedUntil !== null && state.lockedUntil > now)) {
        throw new Error('bare login: locked');
      }
      credential = read.credential;
    }
    const otp = credential.otp;
    if (otp === undefined) throw new Error('bare login: not an OTP credential');
    const period = otp.period ?? 30;
    const drift = clamp(credential.driftSteps ?? 0);
    const secret = secretBox.open(otp.secretCiphertext, { userId, credentialId });
    let result: ReturnType<typeof verifyTotp>;
    try {
      result = verifyTotp(secret, code, {
        algorithm: otp.algorithm,
        digits: otp.digits,
        period,
        time: now + drift * period * 1000,
        window: { past, future },
        lastUsedStep: credential.lastUsedStep,
      });
    } finally {
      secret.fill(0);
    }
    if (!result.valid) throw new Error(`bare login: code refused (${result.reason})`);
    const use = {
      step: result.step,
      driftSteps: clamp(result.driftSteps + drift),
      ifSecret: otp.secretCiphertext,
    };
    const audit = {
      id: randomUUID(),
      at: now,
      type: 'login.succeeded',
      userId,
      data: { method: 'totp', fallback: false, credentialId },
    };
    if (oneStep) {
      const done = await store.completeLogin(userId, challengeId, {
        now,
        otp: { credentialId, ...use },
        unlessLocked: keys,
        clearFailures: keys,
        audit,
      });
      if (done.status !== 'ok') {
        cache.delete(cacheKey);
        throw new Error('bare login: completeLogin refused');
      }
      cache.set(cacheKey, { ...credential, lastUsedStep: use.step, driftSteps: use.driftSteps });
      return;
    }
    const recorded = await store.recordOtpUse(userId, credentialId, {
      ...use,
      now,
      unlessLocked: keys,
      clearFailures: keys,
    });
    if (!recorded) throw new Error('bare login: the use was not recorded');
    if (!(await store.deleteChallenge(userId, challengeId))) throw new Error('bare login: completed twice');
    await store.appendAudit(audit);
  }

  return { start, verify };
}
