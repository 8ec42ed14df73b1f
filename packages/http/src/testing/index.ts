/**
 * @module
 * `@secondfactor/http/testing`: the HTTP conformance suite every framework adapter runs, over real HTTP
 * on a loopback port with a cookie jar, against a service on memory providers and a local Telegram Bot
 * API server; the framework-neutral parts of the host app it talks to; and the session-binding test.
 * Needs vitest (an optional peer dependency).
 */
export type { Reply, RequestOptions } from './client';
export { Browser } from './client';
export { runHttpConformance } from './conformance';
export {
  GUARDED_ANSWER,
  type GuardedRoute,
  type HostAdapter,
  type HostAnswer,
  type HostRoutes,
  hostRoutes,
  serveOnLoopback,
} from './host';
export { runSessionBindingConformance, type SessionBindingTarget } from './session-binding';
export { type MemoryTwoFactorOptions, memoryTwoFactor } from './two-factor';
export {
  type ConformanceApp,
  type ConformanceHost,
  type ConformanceUser,
  type HttpConformanceTarget,
  RECENT_MS,
} from './world';
