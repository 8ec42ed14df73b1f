/**
 * Ids travel as text[] parameters (summaries, replaced credentials): ids that mean something in an
 * array literal (commas, braces, quotes, backslashes, the word NULL, spaces) must arrive unchanged.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/index';
import { dropSchema, newPGlite, pgClient, randomSchema, SERVER_SKIP, serverPool } from './helpers';

const AWKWARD = ['a,b', '{x}', '"quoted"', 'back\\slash', 'NULL', ' padded ', "it's", 'ü-€-😀'];
const now = 1_700_000_000_000;

async function roundTrip(store: PostgresStore): Promise<void> {
  const prefix = `${Math.random()}`;
  const ids = AWKWARD.map((id) => `${prefix}${id}`);
  for (const [index, userId] of ids.entries()) {
    await store.addCredential({
      id: `${userId}/cred`,
      userId,
      kind: 'email',
      label: 'Mail',
      address: `${index}@x`,
      createdAt: now,
    });
  }
  const summaries = await store.getTwoFactorSummaries([...ids, `${prefix}NULL`]);
  expect(summaries.map((item) => item.userId)).toEqual([...ids, `${prefix}NULL`]);
  expect(summaries.every((item) => item.credentials === 1 && item.methods[0] === 'email')).toBe(true);
  // replaces: the awkward id is found and removed, nothing else of the user is.
  const userId = ids[3]!;
  await store.createPendingEnrollment({
    id: `${userId}/new`,
    userId,
    kind: 'email',
    label: 'New',
    address: 'n@x',
    createdAt: now,
    expiresAt: now + 1,
  });
  const result = await store.confirmEnrollment(userId, `${userId}/new`, {
    now,
    replaces: [`${userId}/cred`, 'NULL', '{}'],
  });
  expect(result.status).toBe('ok');
  expect((await store.listCredentials(userId)).map((item) => item.id)).toEqual([`${userId}/new`]);
}

describe('array parameters', () => {
  it('on PGlite', async () => {
    const db = newPGlite();
    const store = PostgresStore.fromPGlite(db);
    await store.migrate();
    await roundTrip(store);
    await db.close();
  });

  describe.skipIf(SERVER_SKIP !== undefined)('on PostgreSQL', () => {
    const schema = randomSchema();
    let pool: pg.Pool;
    beforeAll(() => {
      pool = serverPool();
    });
    afterAll(async () => {
      await dropSchema(pgClient(pool), schema);
      await pool.end();
    });
    it('through pg', async () => {
      const store = PostgresStore.fromPg(pool, { schema });
      await store.migrate();
      await roundTrip(store);
    });
  });
});
