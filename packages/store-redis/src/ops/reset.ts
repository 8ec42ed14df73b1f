/**
 * @module
 * The admin reset of one user (see `SecondFactorStore.resetUser`): every record of the user in one
 * script. On a cluster the id claims and otp index entries of the removed records, which live in other
 * slots, are released after it.
 */
import type { ResetUserResult } from '@secondfactor/store';
import { keyPart } from '../key-part';
import { type OpContext, withRoot } from './context';
import { releaseCredentials } from './credentials';
import { releaseIds } from './id-claims';

type Reply = [number, number, number, number, number, string[], string[], string[], string[], string[]];

/** Removes every credential, backup code, pending enrollment, device and challenge of the user. */
export async function resetUser(ctx: OpContext, userId: string): Promise<ResetUserResult> {
  const user = keyPart(userId);
  const [credentials, backupCodes, pendingEnrollments, trustedDevices, challenges, ...ids] = (await ctx.run(
    'resetUser',
    withRoot(ctx, ctx.key.user(user)),
    [user],
  )) as Reply;
  if (ctx.cluster) {
    const [creds = [], pending = [], devices = [], challengeIds = [], tags = []] = ids;
    await Promise.all([
      releaseCredentials(
        ctx,
        creds.map((id, index) => ({ id, tag: tags[index] ?? '' })),
        user,
      ),
      releaseIds(ctx, 'cred', pending, user),
      releaseIds(ctx, 'device', devices, user),
      releaseIds(ctx, 'challenge', challengeIds, user),
    ]);
  }
  return { credentials, backupCodes, pendingEnrollments, trustedDevices, challenges };
}
