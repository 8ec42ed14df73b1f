/**
 * @module
 * `@secondfactor/koa`: two-factor authentication for an existing Koa 2 or 3 app — the JSON endpoints of
 * the second login step, enrollment, backup codes, devices, Telegram approval and administration as one
 * middleware, and `requireSecondFactor()` for the app's own routes.
 */

export type {
  SecondFactorHttpOptions,
  SecondFactorSession,
  SecondFactorStart,
  StartSecondFactorOptions,
} from '@secondfactor/http';
export {
  type SecondFactorKoa,
  type SecondFactorKoaOptions,
  STATE_KEY,
  secondFactor,
} from './second-factor';
export { SESSION_KEY, type SessionBinding } from './session';
