/**
 * @module
 * Conformance: the boundary checks of `switchCredential` and `listAddressHolders`. Each bad argument
 * rejects with `invalid_argument` naming the parameter, and nothing is written: the credential keeps its
 * switch. The bounds themselves (a time from 0 to `MAX_TIME`, an address of 320 characters, a limit of 1
 * and of 100) are accepted.
 */
import { expect, it } from 'vitest';
import { MAX_TIME } from '../limits';
import { emailCredential, expectRejection, freshId, type SuiteContext } from './fixtures';
import { as, BAD_IDS, BAD_TIMES, type Call } from './validation';

/** Registers the validation tests of the switch and the address lookup. */
export function switchAndAddressValidationTests(ctx: SuiteContext): void {
  it('switchCredential and listAddressHolders refuse bad arguments, naming the parameter, and write nothing', async () => {
    const [userId, tenantId] = [freshId('user'), freshId('tenant')];
    const address = `${freshId('mail')}@example.org`;
    const credential = emailCredential(userId, ctx.t0, { tenantId, address });
    await ctx.store.addCredential(credential);

    const cases: [string, Call][] = [
      ...BAD_IDS.flatMap((bad): [string, Call][] => [
        ['userId', (s) => s.switchCredential(as(bad), credential.id, ctx.t0)],
        ['credentialId', (s) => s.switchCredential(userId, as(bad), ctx.t0)],
      ]),
      // `null` switches on: every other value that is not a time is refused.
      ...BAD_TIMES.filter((bad) => bad !== null).map((bad): [string, Call] => [
        'switchedOffAt',
        (s) => s.switchCredential(userId, credential.id, as(bad)),
      ]),
      ['switchedOffAt', (s) => s.switchCredential(userId, credential.id, MAX_TIME + 1)],
      ...[null, undefined, 'query', 42, []].map((bad): [string, Call] => [
        'query',
        (s) => s.listAddressHolders(as(bad)),
      ]),
      ...BAD_IDS.filter((bad) => bad !== undefined).map((bad): [string, Call] => [
        'query.tenantId',
        (s) => s.listAddressHolders({ tenantId: as(bad), address }),
      ]),
      ...['', 'two\nlines', 'tab\there', 'x'.repeat(321), '\ud800x', 42, null, undefined, {}].map(
        (bad): [string, Call] => [
          'query.address',
          (s) => s.listAddressHolders({ tenantId, address: as(bad) }),
        ],
      ),
      ...[0, -1, 1.5, 101, Number.NaN, Number.POSITIVE_INFINITY, '10', null].map((bad): [string, Call] => [
        'query.limit',
        (s) => s.listAddressHolders({ tenantId, address, limit: as(bad) }),
      ]),
    ];
    for (const [name, call] of cases) {
      const error = await expectRejection(() => call(ctx.store), 'invalid_argument').catch(
        (caught: Error) => {
          throw new Error(`${name}: ${caught.message}`);
        },
      );
      expect(error.message, name).toContain(name);
    }
    expect(await ctx.store.getCredential(userId, credential.id)).toEqual(credential);
    expect((await ctx.store.getTwoFactorSummaries([userId]))[0]?.methods).toEqual(['email']);
  });

  it('accepts the bounds: switchedOffAt 0 and MAX_TIME, an address of 320 characters, a limit of 1 and 100', async () => {
    const [userId, tenantId] = [freshId('user'), freshId('tenant')];
    const address = `${freshId('mail')}@${'x'.repeat(300)}`.slice(0, 320);
    const credential = emailCredential(userId, ctx.t0, { tenantId, address });
    await ctx.store.addCredential(credential);
    expect(await ctx.store.switchCredential(userId, credential.id, 0)).toBe(true);
    expect((await ctx.store.getCredential(userId, credential.id))?.switchedOffAt).toBe(0);
    expect(await ctx.store.switchCredential(userId, credential.id, MAX_TIME)).toBe(true);
    const holder = { userId, tenantId, credentialId: credential.id, kind: 'email', switchedOffAt: MAX_TIME };
    for (const limit of [1, 100, undefined]) {
      expect(await ctx.store.listAddressHolders({ tenantId, address, limit })).toEqual([holder]);
    }
  });
}
