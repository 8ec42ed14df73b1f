/**
 * The demo on the durable stores `DATABASE_URL` and `REDIS_URL` switch to: set up an app, sign out, sign
 * in with its code. Each run uses a schema or key prefix of its own and removes it afterwards. Skipped,
 * with the reason printed, where the variable names no server.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config';
import { openStore } from '../src/store';
import { appCode, type RunningDemo, STEP_MS, setupOf, startDemo } from './demo';

const KEY = randomBytes(32).toString('base64');
const targets = [
  { name: 'PostgreSQL', variable: 'DATABASE_URL' },
  { name: 'Redis', variable: 'REDIS_URL' },
] as const;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

for (const target of targets) {
  const url = process.env[target.variable];
  if (!url) console.warn(`stores.test: ${target.name} skipped: ${target.variable} is not set`);
  describe.skipIf(!url)(`on ${target.name}`, () => {
    it('sets up an app on the set-up page and signs in with its code', async () => {
      const run = randomBytes(4).toString('hex');
      const config = readConfig({
        [target.variable]: url,
        SECONDFACTOR_SECRET_KEY: KEY,
        SECONDFACTOR_BACKUP_CODE_KEY: KEY,
      });
      const opened = await openStore(config, { schema: `sfdemo_test_${run}`, prefix: `sfdemo-test-${run}:` });
      let demo: RunningDemo | undefined;
      cleanups.push(async () => {
        await demo?.close();
        await dropAll(target.variable, url ?? '', run);
        await opened.close();
      });
      demo = await startDemo('selfService', opened.store);
      const ada = demo.browser();
      await ada.signIn('ada');
      const setup = setupOf((await ada.page('/setup')).text);
      const confirmed = await ada.call('POST', '/2fa/enrollment/totp/confirm', {
        enrollmentId: setup.enrollmentId,
        code: appCode(setup.manualKey, demo.clock()),
      });
      expect(confirmed.status).toBe(200);
      await ada.form('/logout', { _csrf: ada.csrf });

      expect(new URL((await ada.signIn('ada')).url).pathname).toBe('/login/code');
      demo.clock.advance(STEP_MS);
      const verified = await ada.call('POST', '/2fa/login/verify', {
        method: 'totp',
        code: appCode(setup.manualKey, demo.clock()),
      });
      expect(verified.json()).toMatchObject({ signedIn: true, method: 'totp' });
      expect(demo.errors).toEqual([]);
    });
  });
}

/** Removes the run's schema or keys with a client of its own. */
async function dropAll(variable: string, url: string, run: string): Promise<void> {
  if (variable === 'DATABASE_URL') {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS sfdemo_test_${run} CASCADE`);
    await client.end();
    return;
  }
  const client = new Redis(url);
  const keys = await client.keys(`sfdemo-test-${run}:*`);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
}
