/**
 * Sessions other than express-session, through the two callbacks of `SessionBinding`, with the host's
 * own `express.json()` in front of the router (the suite's test); and an app that mounted neither
 * express-session nor a binding is told what to mount.
 */

import { secondFactor } from '@secondfactor/express';
import { memoryTwoFactor, runSessionBindingConformance, serveOnLoopback } from '@secondfactor/http/testing';
import express, { type Request } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from './app';

runSessionBindingConformance<Request>({
  name: 'Express',
  header: (req, name) => req.get(name),
  start: (host, session) => startApp(express, host, { bodyParsers: ['json'], session }),
});

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('without a session', () => {
  it('answers 500 internal, naming the fix, when express-session is missing', async () => {
    const routes = secondFactor({ twoFactor: memoryTwoFactor() });
    const app = express();
    app.post('/password', async (req, res) => {
      try {
        await routes.startSecondFactor(req, { id: 'ada', roles: [] });
        res.json({});
      } catch (error) {
        res.status(500).json({ message: (error as Error).message });
      }
    });
    const served = await serveOnLoopback(app);
    closers.push(served.close);
    const response = await fetch(`${served.url}/password`, { method: 'POST' });
    expect(response.status).toBe(500);
    expect(((await response.json()) as { message: string }).message).toMatch(/express-session/);
  });
});
