/**
 * @module
 * Backup codes after the first set: the user's "I confirm that the codes are saved", a new set (which
 * needs a recent code of a primary method, checklist F6) and the text file to save or print.
 */
import {
  backupCodesFileName,
  formatBackupCodesFile,
  regenerateBackupCodes as replaceSet,
} from '@secondfactor/backup-codes';
import type { Actor } from '@secondfactor/policy';
import { assertAllowed, invalidArgument, noBackupCodes } from './errors';
import { emit } from './events';
import { patchSettings } from './manage';
import type { ServiceContext } from './options';
import { checkActor, checkProofsAt, checkTenancy, loadSubject, policyContext } from './subject';

/**
 * A new set of backup codes: shown this once (F5).
 *
 * @example
 * ```ts
 * import type { RegeneratedBackupCodes } from '@secondfactor/service';
 *
 * const fresh: RegeneratedBackupCodes = await twoFactor.regenerateBackupCodes({ ...actor, secondFactor: session.secondFactor });
 * response.json({ codes: fresh.codes, acknowledge: fresh.backupCodesAcknowledgementRequired });
 * ```
 */
export interface RegeneratedBackupCodes {
  /** The codes, for display, download (`backupCodesFile`) or print; they cannot be fetched again. */
  codes: string[];
  /** When the set was made (Unix ms): the file's date. */
  createdAt: number;
  /** The user must confirm the codes are saved (`acknowledgeBackupCodes`). */
  backupCodesAcknowledgementRequired: boolean;
}

/**
 * What `backupCodesFile` takes: the codes just issued and whom they are for.
 *
 * @example
 * ```ts
 * import type { BackupCodesFileRequest } from '@secondfactor/service';
 *
 * const request: BackupCodesFileRequest = { codes: fresh.codes, account: user.email, createdAt: fresh.createdAt, lineEnding: '\r\n' };
 * const file = twoFactor.backupCodesFile(request);
 * ```
 */
export interface BackupCodesFileRequest {
  /** The codes as `confirmEnrollment` or `regenerateBackupCodes` returned them. */
  codes: readonly string[];
  /** The account name the user knows (e-mail address or user name), 1–320 characters. */
  account: string;
  /** When the set was made (`createdAt` or `at` of the response that returned the codes). */
  createdAt: number;
  /**
   * Line ending of the text.
   * @default '\n'
   */
  lineEnding?: '\n' | '\r\n' | undefined;
}

/**
 * A printable, downloadable backup-code file.
 *
 * @example
 * ```ts
 * import type { BackupCodesFile } from '@secondfactor/service';
 *
 * const file: BackupCodesFile = twoFactor.backupCodesFile({ codes, account: user.email, createdAt });
 * response.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
 * response.send(file.text);
 * ```
 */
export interface BackupCodesFile {
  /** `<issuer>-backup-codes.txt`, for `Content-Disposition`. */
  fileName: string;
  /** The text: issuer, account, date, one line of instructions, the numbered codes. */
  text: string;
}

/** @internal See `TwoFactor.acknowledgeBackupCodes`. */
export async function acknowledgeBackupCodes(ctx: ServiceContext, actorInput: Actor): Promise<void> {
  const actor = checkActor(actorInput);
  checkTenancy(ctx, 'actor', actor);
  checkProofsAt(actor, ctx.now());
  const now = ctx.now();
  // Owner-only by construction: the actor acknowledges his own set, read with his own id (H3).
  const set = await ctx.store.getBackupCodeSet(actor.id);
  if (set === null) throw noBackupCodes();
  await patchSettings(ctx, actor, now, { backupCodesAcknowledgedAt: now });
  await emit(
    ctx,
    { userId: actor.id, tenantId: actor.tenantId, actorId: actor.id },
    'backup_codes.acknowledged',
    now,
    {
      remaining: set.remaining,
    },
  );
}

/** @internal See `TwoFactor.regenerateBackupCodes`. */
export async function regenerateBackupCodes(
  ctx: ServiceContext,
  actorInput: Actor,
): Promise<RegeneratedBackupCodes> {
  const actor = checkActor(actorInput);
  const now = ctx.now();
  const [{ subject }, policyCtx] = await Promise.all([
    loadSubject(ctx.store, actor),
    policyContext(ctx, actor, now),
  ]);
  // F6: the policy checks that the actor's proof is a recent code of a primary method.
  assertAllowed(ctx.policy.canRegenerateBackupCodes(actor, subject, policyCtx), 'new backup codes');
  const lifecycle = ctx.policy.lifecycle();
  const issued = await replaceSet(ctx.store, actor.id, {
    hasher: ctx.hasher,
    now,
    count: lifecycle.backupCodeCount,
    random: ctx.random,
    // The policy's decision above is the proof this package asks the caller to vouch for.
    reauthenticated: true,
  });
  await emit(
    ctx,
    { userId: actor.id, tenantId: actor.tenantId, actorId: actor.id },
    'backup_codes.regenerated',
    now,
    {
      count: issued.codes.length,
    },
  );
  return {
    codes: issued.codes,
    createdAt: now,
    backupCodesAcknowledgementRequired: lifecycle.backupCodesAcknowledgementRequired,
  };
}

/** @internal See `TwoFactor.backupCodesFile`. */
export function backupCodesFile(ctx: ServiceContext, request: BackupCodesFileRequest): BackupCodesFile {
  if (typeof request !== 'object' || request === null) throw invalidArgument('request', 'must be an object');
  if (request.lineEnding === null)
    throw invalidArgument('request.lineEnding', 'must be a line ending or absent');
  if (typeof request.createdAt !== 'number') {
    throw invalidArgument('request.createdAt', 'must be a time in Unix milliseconds');
  }
  return {
    fileName: backupCodesFileName(ctx.issuer),
    text: formatBackupCodesFile({
      issuer: ctx.issuer,
      account: request.account,
      codes: request.codes,
      createdAt: request.createdAt,
      ...(request.lineEnding === undefined ? {} : { lineEnding: request.lineEnding }),
    }),
  };
}
