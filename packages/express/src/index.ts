/**
 * @module
 * `@secondfactor/express`: two-factor authentication for an existing Express 4 or 5 app — the JSON
 * endpoints of the second login step, enrollment, backup codes, devices, Telegram approval and
 * administration as one `Router`, and `requireSecondFactor()` for the app's own routes.
 */

export type {
  SecondFactorHttpOptions,
  SecondFactorSession,
  SecondFactorStart,
  StartSecondFactorOptions,
} from '@secondfactor/http';
export {
  LOCALS_KEY,
  type SecondFactorExpress,
  type SecondFactorExpressOptions,
  secondFactor,
} from './second-factor';
export { SESSION_KEY, type SessionBinding } from './session';
