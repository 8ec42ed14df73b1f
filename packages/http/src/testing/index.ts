/**
 * @module
 * `@secondfactor/http/testing`: the HTTP conformance suite every framework adapter runs, over real HTTP
 * on a loopback port with a cookie jar, against a service on memory providers and a local Telegram Bot
 * API server. Needs vitest (an optional peer dependency).
 */
export type { Reply, RequestOptions } from './client';
export { Browser } from './client';
export { runHttpConformance } from './conformance';
export {
  type ConformanceApp,
  type ConformanceHost,
  type ConformanceUser,
  type HttpConformanceTarget,
  RECENT_MS,
} from './world';
