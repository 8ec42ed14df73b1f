/**
 * @module
 * secondfactor itself, adapted to {@link Implementation} twice: the plain functions (`totp`,
 * `verifyTotp`, which derive the HMAC key state on every call) and the prepared form (`createTotp`, which
 * derives it once). Imported by package name, so the bench measures the built `dist`, as users get it.
 */
import { createTotp, totp, verifyTotp } from '@secondfactor/core';
import { SECRET, TIMES_MS } from './fixtures';
import type { Implementation } from './implementation';

/** Plain `verifyTotp` / `totp`: the row the ≥ 2× target applies to. */
function plain(): Implementation {
  return {
    name: 'secondfactor verifyTotp / totp',
    kind: 'ours',
    primary: true,
    clock: 'injected',
    generate: (i) => totp(SECRET, { time: TIMES_MS[i]! }),
    verify: (code, i) => verifyTotp(SECRET, code, { time: TIMES_MS[i]!, window: 1 }).valid,
  };
}

/** `createTotp(secret)` built once; `.verify` / `.generate` reuse the precomputed inner/outer key state. */
function prepared(): Implementation {
  const otp = createTotp(SECRET, {});
  return {
    name: 'secondfactor createTotp(…).verify / .generate',
    kind: 'ours',
    clock: 'injected',
    generate: (i) => otp.generate(TIMES_MS[i]!),
    verify: (code, i) => otp.verify(code, { time: TIMES_MS[i]!, window: 1 }).valid,
  };
}

/** Both secondfactor forms, plain first. */
export function ours(): Implementation[] {
  return [plain(), prepared()];
}
