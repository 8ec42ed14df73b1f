/**
 * @module
 * Id claims on a cluster: how an id the contract makes unique across users stays unique when each
 * user's records live in a slot of their own (`scripts/id-claims.ts` has the protocol). The claim is
 * taken before the record is written and released after it is removed; a claim left behind by a failed
 * step is taken over by the next user once its holder's slot shows no record with the id.
 */
import type { IdKind } from '../keys';
import { conflict, LEASE_MS, type OpContext, token } from './context';

// A claim changes between our read and our take-over only under a race; after a few rounds we yield.
const ROUNDS = 3;

/**
 * Takes the claim of `idPart` for `userPart`, or rejects with `conflict` (named `field`) when another user
 * holds it with a record, or took it within the lease. `ttlMs` is the claim's life (none: permanent).
 */
export async function claimId(
  ctx: OpContext,
  kind: IdKind,
  idPart: string,
  userPart: string,
  field: string,
  ttlMs?: number,
): Promise<void> {
  const key = ctx.key.idClaim(kind, idPart);
  const ttl = ttlMs === undefined ? '' : String(ttlMs);
  let expected = '';
  for (let round = 0; round < ROUNDS; round++) {
    const [taken, current, young] = (await ctx.run(
      'claimId',
      [key],
      [userPart, token(), ttl, String(LEASE_MS), expected],
    )) as [number, string | null, number];
    if (taken === 1) return;
    // Gone since the last look: try again as a plain claim.
    if (current === null) {
      expected = '';
      continue;
    }
    if (young === 1) throw conflict(field);
    const holder = current.split(' ')[0] ?? '';
    if ((await ctx.run('holdsId', [ctx.key.user(holder)], [kind, idPart])) === 1) throw conflict(field);
    // Stale: the holder has no record with this id. Take it over, unless it changed meanwhile.
    expected = current;
  }
  throw conflict(field);
}

/** Releases the claims of removed records (best effort: a claim left behind is stale and taken over). */
export async function releaseIds(
  ctx: OpContext,
  kind: IdKind,
  idParts: readonly string[],
  userPart: string,
): Promise<void> {
  await Promise.all(idParts.map((id) => ctx.run('releaseId', [ctx.key.idClaim(kind, id)], [userPart])));
}

/** Lets the claim of a record whose end moved live at least `ttlMs` more. */
export async function extendId(
  ctx: OpContext,
  kind: IdKind,
  idPart: string,
  userPart: string,
  ttlMs: number,
): Promise<void> {
  await ctx.run('extendId', [ctx.key.idClaim(kind, idPart)], [userPart, String(ttlMs)]);
}
