/**
 * The HTTP conformance suite against the smallest adapter, plain `node:http` over the public API: the
 * layer answers the suite without any framework.
 */
import { runHttpConformance } from '@secondfactor/http/testing';
import { SESSION_COOKIE, startNodeApp } from './node-http-app';

runHttpConformance({ name: 'node:http', sessionCookie: SESSION_COOKIE, start: startNodeApp });
