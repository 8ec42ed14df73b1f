/**
 * @module
 * Backup codes after the set-up: "I confirm that the codes are saved", a new set (the policy asks for a
 * recent code of a primary method, F6), and the codes just shown as a text file to save. Every answer
 * is `no-store` (I10).
 */
import { type Field, oneOf, optional, texts, time } from '../body';
import { json, noContent, textFile } from '../response';
import { type Route, route } from '../route';

const lineEndingField: Field<'\n' | '\r\n' | undefined> = optional(oneOf(['\n', '\r\n'] as const));

export const backupCodeRoutes: Route[] = [
  route({
    name: 'backupCodes.acknowledge',
    method: 'POST',
    path: '/backup-codes/acknowledge',
    guard: 'signedIn',
    csrf: true,
    noStore: true,
    body: {},
    handle: async (ctx) => {
      await ctx.http.twoFactor.acknowledgeBackupCodes(ctx.actor);
      return noContent();
    },
  }),
  route({
    name: 'backupCodes.regenerate',
    method: 'POST',
    path: '/backup-codes/regenerate',
    guard: 'signedIn',
    csrf: true,
    noStore: true,
    body: {},
    handle: async (ctx) => {
      const set = await ctx.http.twoFactor.regenerateBackupCodes(ctx.actor);
      return json(200, {
        codes: set.codes,
        createdAt: set.createdAt,
        backupCodesAcknowledgementRequired: set.backupCodesAcknowledgementRequired,
      });
    },
  }),
  route({
    // The codes come back from the page that just showed them: the server keeps none to read back (F5).
    name: 'backupCodes.download',
    method: 'POST',
    path: '/backup-codes/download',
    guard: 'signedIn',
    csrf: true,
    noStore: true,
    body: { codes: texts(100), createdAt: time, lineEnding: lineEndingField },
    handle: async (ctx) => {
      const file = ctx.http.twoFactor.backupCodesFile({
        codes: ctx.body.codes,
        account: ctx.http.accountName(ctx.state.user),
        createdAt: ctx.body.createdAt,
        lineEnding: ctx.body.lineEnding,
      });
      return textFile(file.fileName, file.text);
    },
  }),
];
