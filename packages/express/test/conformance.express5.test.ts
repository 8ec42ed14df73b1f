/**
 * The HTTP conformance suite of `@secondfactor/http/testing` against the adapter on Express 5.
 */
import { runHttpConformance } from '@secondfactor/http/testing';
import express from 'express';
import { SESSION_COOKIE, startApp } from './app';

runHttpConformance({
  name: 'Express 5',
  sessionCookie: SESSION_COOKIE,
  start: (host) => startApp(express, host),
});
