/**
 * The HTTP conformance suite of `@secondfactor/http/testing` against the adapter on Express 5 behind an
 * app-wide `express.json()` and `express.urlencoded()`, as many apps mount them: every body reaches the
 * router already parsed, and is held to the rules of one the adapter reads itself (a form is refused
 * with 400 and nothing written, a body over the adapter's limit is 413).
 */
import { runHttpConformance } from '@secondfactor/http/testing';
import express from 'express';
import { SESSION_COOKIE, startApp } from './app';

runHttpConformance({
  name: 'Express 5 with app-wide express.json() and express.urlencoded()',
  sessionCookie: SESSION_COOKIE,
  start: (host) => startApp(express, host, { bodyParsers: ['json', 'urlencoded'] }),
});
