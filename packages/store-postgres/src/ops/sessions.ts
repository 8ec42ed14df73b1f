/**
 * @module
 * Session epochs: one row per user bumped at least once (migration 5); a user without a row is at 0.
 */
import type { Context } from '../context';
import { int } from '../rows';

export async function getSessionEpoch(ctx: Context, userId: string): Promise<number> {
  const rows = await ctx.run(
    'getSessionEpoch',
    `SELECT COALESCE((SELECT epoch FROM ${ctx.t.sessionEpochs} WHERE user_id = $1), 0) AS epoch`,
    [userId],
  );
  return int(rows[0]?.epoch ?? 0);
}

export async function bumpSessionEpoch(ctx: Context, userId: string): Promise<number> {
  // The guarantee of `bumpSessionEpoch` (the contract, packages/store/src/store.ts) in one statement:
  // the first bump inserts 1; racing first bumps are settled by the primary key (the loser waits for the
  // winner's commit and takes the conflict arm). The conflict arm locks the row and adds 1 to its newest
  // committed version, so under READ COMMITTED concurrent bumps queue on the row lock and each returns
  // its own value: N bumps, N distinct values, the epoch N higher. No other statement writes this table.
  const rows = await ctx.run(
    'bumpSessionEpoch',
    `INSERT INTO ${ctx.t.sessionEpochs} AS e (user_id, epoch) VALUES ($1, 1)
     ON CONFLICT (user_id) DO UPDATE SET epoch = e.epoch + 1
     RETURNING epoch`,
    [userId],
  );
  return int(rows[0]?.epoch);
}
