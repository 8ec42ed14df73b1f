/**
 * The HTTP conformance suite of `@secondfactor/http/testing` against the adapter on Koa 3 as the README's
 * second set-up shows it: @koa/router hands `/2fa/*rest` to the middleware, and @koa/bodyparser has
 * parsed every body before it (so the body checks run on the host's parsed values).
 */
import { runHttpConformance } from '@secondfactor/http/testing';
import Koa from 'koa';
import { SESSION_COOKIE, startApp } from './app';

runHttpConformance({
  name: 'Koa 3 with @koa/router and @koa/bodyparser',
  sessionCookie: SESSION_COOKIE,
  start: (host) => startApp(Koa, host, { mount: 'koa-router', bodyParser: true }),
});
