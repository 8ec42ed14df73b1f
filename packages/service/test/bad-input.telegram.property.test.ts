/**
 * Bad input at every method of `TelegramPush` (issue 11; checklist C7, J3; the store's "bad arguments
 * change nothing"), as `bad-input.property.test.ts` does for `TwoFactor`: each argument, and each field of
 * an object argument, replaced by generated hostile values. The call is refused with a `SecondFactorError`
 * of one of the method's codes — never a `TypeError` or a result — and the memory store's whole snapshot,
 * audit log included, is the same before and after.
 *
 * The webhook takes what Telegram posts: a request with a wrong or missing secret header is refused with
 * `unauthenticated`, a body Telegram would not send with `invalid_argument`. An update Telegram could send
 * but the service does not act on (a group chat, a stale message, an unknown button…) is not an error: it
 * is answered `ignored` or `refused`, and it changes nothing either.
 *
 * Each row's valid arguments are first shown to succeed; values the service still accepts are listed in
 * KNOWN_GAPS, each with a test that shows it; the table of rows must name every method of `TelegramPush`.
 */
import { TELEGRAM_SECRET_HEADER } from '@secondfactor/channels';
import type { Update } from '@secondfactor/channels/testing';
import { type TelegramPush, type TelegramUpdateHandled, telegramPush } from '@secondfactor/service';
import { MemoryStore } from '@secondfactor/store';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshActor, newUser } from './fixtures';
import {
  actorPaths,
  badId,
  badLabel,
  except,
  extraKeys,
  isString,
  junk,
  type KnownGap,
  MISSING,
  oneOf,
  optionsPaths,
  type Paths,
  RUN_PARAMETERS,
  refusedUnchanged,
  replaced,
  settle,
  show,
  withoutGaps,
} from './hostile-values';
import {
  linkChat,
  type PushHarness,
  pressIn,
  pushHarness,
  SIGNED,
  signedIn,
  startToken,
  WEBHOOK_SECRET,
} from './push-helpers';

/** The user's linked chat, the chat that opens the newcomer's link, and a chat linked to no one. */
const CHAT = 42_000_001;
const NEWCOMER_CHAT = 42_000_002;
const OTHER_CHAT = 42_000_003;

// --- the world the calls run in --------------------------------------------------------------------

interface World {
  h: PushHarness;
  store: MemoryStore;
  push: TelegramPush;
  clock: PushHarness['clock'];
  /** A user with a linked chat (`CHAT`) and a pending login whose approval was sent there. */
  user: { id: string; roles: string[] };
  chatDeviceId: string;
  /** Another chat of `user`'s, switched off. */
  offChatDeviceId: string;
  loginId: string;
  /** `CHAT`'s user pressing Approve on that approval. */
  press: Update;
  /** A user whose link waits for its chat's `/start`, the link's id, and that `/start`. */
  newcomer: { id: string; roles: string[] };
  linkId: string;
  start: Update;
  /** A user without any 2FA. */
  stranger: { id: string; roles: string[] };
  close(): Promise<void>;
}

/**
 * The push world (policy `multiMethod`, the local Bot API server): a user with a linked chat and a
 * pending push login whose approval was sent, a newcomer whose link waits for its `/start`, a stranger;
 * all past the wait between two sends, so the approval can be sent again.
 */
async function world(): Promise<World> {
  const store = new MemoryStore();
  const h = await pushHarness({ store });
  const user = newUser();
  const linked = await linkChat(h, user, CHAT);
  if (linked.outcome !== 'linked') throw new Error(`the world's chat was not linked: ${linked.outcome}`);
  const [chat] = await store.listCredentials(user.id);
  const offChatDeviceId = 'chat-switched-off';
  await store.addCredential({
    id: offChatDeviceId,
    userId: user.id,
    kind: 'push',
    label: 'Old phone',
    address: String(OTHER_CHAT),
    createdAt: h.clock(),
    switchedOffAt: h.clock(),
  });
  h.clock.advance(60_000);
  const { loginId } = await h.twoFactor.startLogin(user);
  if (typeof loginId !== 'string') throw new Error("the world's login asks for no second factor");
  await h.push.sendLoginApproval({ loginId });
  const press = pressIn(h, CHAT, 'Approve');
  const newcomer = newUser();
  const { link, linkId } = await h.push.linkTelegram(await signedIn(h, newcomer), {});
  const start = h.bot.userSends(NEWCOMER_CHAT, `/start ${startToken(link)}`);
  // The default wait between two sends to one destination is 30 s.
  h.clock.advance(30_000);
  return {
    h,
    store,
    push: h.push,
    clock: h.clock,
    user,
    chatDeviceId: chat?.id ?? '',
    offChatDeviceId,
    loginId,
    press,
    newcomer,
    linkId,
    start,
    stranger: newUser(),
    close: () => h.close(),
  };
}

// --- the bodies of webhook requests --------------------------------------------------------------

/** A copy of `update` with the field at `path` (`a.b.c`) set to `value`; `MISSING` leaves it out. */
function withField(update: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(update);
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  let at = copy;
  for (const key of keys) at = at[key] as Record<string, unknown>;
  if (value === MISSING) delete at[last];
  else at[last] = value;
  return copy;
}

const badInteger = fc.oneof(except(Number.isSafeInteger), fc.constant(MISSING));
/** A field Telegram always sends as a string, if at all. */
const badOptionalString = except((value) => value === undefined || isString(value));

/** `body with <field>` → the bodies of `update` with `field` replaced by each of its hostile values. */
function bodyPaths(update: Update, fields: Record<string, fc.Arbitrary<unknown>>): Paths {
  return Object.fromEntries(
    Object.entries(fields).map(([field, values]) => [
      `body with ${field}`,
      values.map((value) => withField(update, field, value)),
    ]),
  );
}

/** The fields of a `/start` message the service reads, and values Telegram never sends in them. */
const startFields = (): Record<string, fc.Arbitrary<unknown>> => ({
  update_id: fc.oneof(badInteger, fc.integer({ min: -(2 ** 31), max: -1 })),
  // An update without `message` (or `callback_query`) is one the service does not act on.
  message: except(oneOf(undefined)),
  'message.message_id': badInteger,
  'message.date': badInteger,
  'message.chat': fc.oneof(junk, fc.constant(MISSING)),
  'message.chat.id': badInteger,
  'message.chat.type': fc.oneof(except(isString), fc.constant(MISSING)),
  'message.text': badOptionalString,
});

/** The same for a press of Approve or Deny. */
const pressFields = (): Record<string, fc.Arbitrary<unknown>> => ({
  callback_query: except(oneOf(undefined)),
  'callback_query.id': fc.oneof(
    except((value) => isString(value) && value !== ''),
    fc.constantFrom(MISSING, ''),
  ),
  'callback_query.from': fc.oneof(junk, fc.constant(MISSING)),
  'callback_query.from.id': badInteger,
  'callback_query.data': badOptionalString,
  // A press without `message` is one on an inline-mode message, which the service ignores.
  'callback_query.message': except(oneOf(undefined)),
  'callback_query.message.message_id': badInteger,
  'callback_query.message.date': badInteger,
  'callback_query.message.chat': fc.oneof(junk, fc.constant(MISSING)),
  'callback_query.message.chat.id': badInteger,
  'callback_query.message.chat.type': fc.oneof(except(isString), fc.constant(MISSING)),
});

/** Whether `value` is the same after a trip through JSON (so its text says what it says). */
function survivesJson(value: unknown): boolean {
  try {
    const text = JSON.stringify(value);
    return text !== undefined && fc.stringify(JSON.parse(text)) === fc.stringify(value);
  } catch {
    return false;
  }
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Bodies as text or bytes that no Telegram update is: not JSON, not UTF-8, not an object, a bad field. */
function malformedText(w: World): fc.Arbitrary<unknown> {
  const update = JSON.stringify(w.start);
  const text = fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      'null',
      '[]',
      '1',
      '"update"',
      '{',
      update.slice(0, -1),
      `${update}}`,
      `[${update}]`,
      `update=${encodeURIComponent(update)}`,
    ),
    fc
      .oneof(
        ...Object.values(bodyPaths(w.start, startFields())),
        ...Object.values(bodyPaths(w.press, pressFields())),
      )
      .filter(survivesJson)
      .map((body) => JSON.stringify(body)),
  );
  return fc.oneof(
    text,
    text.map(utf8),
    // Not UTF-8: a lone continuation byte, an overlong '/', a truncated sequence.
    fc.constantFrom(
      Uint8Array.of(0x80),
      Uint8Array.of(0x7b, 0xc0, 0xaf, 0x7d),
      Uint8Array.of(...utf8(update.slice(0, -1)), 0xe2, 0x82),
    ),
  );
}

/** Whether a parsed body is an object with an `update_id` Telegram could send. */
const looksLikeUpdate = (value: unknown): boolean => {
  const id =
    typeof value === 'object' && value !== null ? (value as { update_id?: unknown }).update_id : null;
  return Number.isSafeInteger(id) && (id as number) >= 0;
};

/** Wrong values of the secret header: near misses, other secrets of the allowed form, a list. */
const wrongSecrets = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    WEBHOOK_SECRET.toUpperCase(),
    WEBHOOK_SECRET.slice(0, -1),
    `${WEBHOOK_SECRET}x`,
    `${WEBHOOK_SECRET.slice(0, -1)}7`,
    `${WEBHOOK_SECRET}, ${WEBHOOK_SECRET}`,
  ),
  fc.stringMatching(/^[A-Za-z0-9_-]{16,256}$/),
);

const UPPER_HEADER = 'X-Telegram-Bot-Api-Secret-Token';

// --- the table: every method, its valid arguments and what may be replaced -------------------------

interface Row {
  /** The argument names, in order. */
  params: readonly string[];
  /** Arguments the call accepts (shown by the baseline test). */
  args: (w: World) => unknown[];
  /** More arguments the call accepts, that some paths depart from instead. */
  alsoAccepts?: { what: string; args: (w: World) => unknown[] } | undefined;
  /** `param`, `param.field` or `param <what>` → hostile values for it (`MISSING` leaves the field out). */
  paths: (w: World) => Paths;
  /** The codes a refusal of a path's values may carry. */
  codes: (path: string) => readonly string[];
}

/** `multiMethod` has a single tenant: a user naming one, well-formed or not, is wrong. */
const tenantUnderSingleTenancy = fc.oneof(except(oneOf(undefined)), fc.constantFrom('acme', 'tenant-1'));

/** What `linkTelegram` takes besides the actor: an options bag. */
const LINK_FIELDS = ['label', 'sessionId', 'loginId'];

const ROWS: Record<keyof TelegramPush, Row> = {
  linkTelegram: {
    params: ['actor', 'input'],
    args: (w) => [freshActor(w.stranger, w.clock(), null), { label: 'Phone', sessionId: 'session-7' }],
    paths: (w) => ({
      ...actorPaths('actor', 'single', w.clock()),
      'actor.tenantId': tenantUnderSingleTenancy,
      // A Telegram start parameter carries at most 33 bytes of a user id that is not a UUID.
      'actor.id': fc.oneof(badId, fc.constantFrom(MISSING, 'x'.repeat(34), 'é'.repeat(17))),
      ...optionsPaths('input', LINK_FIELDS, { label: 'Phone' }),
      'input.label': badLabel,
      'input.sessionId': badId.filter((value) => value !== undefined),
      // Another user's login, and strings no login id is.
      'input.loginId': fc.oneof(
        except(oneOf(undefined)),
        fc.constantFrom('', 'x', w.loginId, `${w.loginId}x`),
      ),
    }),
    // `challenge_expired` (for `input.loginId`) is not among the codes the TSDoc lists.
    codes: () => ['invalid_argument', 'policy_denied', 'method_not_allowed', 'challenge_expired'],
  },
  linkTelegramStatus: {
    params: ['actor', 'input'],
    args: (w) => [freshActor(w.newcomer, w.clock(), null), { linkId: w.linkId }],
    paths: (w) => ({
      ...actorPaths('actor', 'single', w.clock()),
      'actor.tenantId': tenantUnderSingleTenancy,
      input: junk,
      // Another user's linked chat, and ids no link has.
      'input.linkId': fc.oneof(
        except(oneOf(w.linkId)),
        fc.constantFrom(MISSING, '', 'A'.repeat(22), `${w.linkId}x`, w.linkId.slice(1), w.chatDeviceId),
      ),
    }),
    // `invalid_argument` (for the actor and a non-object input) is not among the codes the TSDoc lists.
    codes: () => ['invalid_argument', 'enrollment_not_found'],
  },
  sendLoginApproval: {
    params: ['input'],
    args: (w) => [
      { loginId: w.loginId, ip: '203.0.113.7', device: 'Firefox 128 on Linux', deviceId: w.chatDeviceId },
    ],
    paths: (w) => {
      const text = (value: unknown) => value === undefined || (isString(value) && value.length <= 1000);
      const [challengePart] = w.loginId.split('.');
      const strangersPart = Buffer.from(w.stranger.id).toString('base64url');
      return {
        input: junk,
        'input.loginId': fc.oneof(
          except(oneOf(w.loginId)),
          fc.constantFrom(MISSING, '', `${w.loginId}x`, `${challengePart}.${strangersPart}`),
        ),
        'input.ip': fc.oneof(except(text), fc.constant('1'.repeat(1001))),
        'input.device': fc.oneof(except(text), fc.constant('x'.repeat(1001))),
        // A chat switched off, and ids no device of the user has.
        'input.deviceId': fc.oneof(
          except(oneOf(undefined, w.chatDeviceId)),
          fc.constantFrom('', 'x'.repeat(256), 'no-such-device', w.offChatDeviceId),
        ),
      };
    },
    // `invalid_argument` and `not_found` (for `input.deviceId`) are not among the codes the TSDoc lists.
    codes: () => ['invalid_argument', 'challenge_expired', 'method_not_allowed', 'not_found'],
  },
  handleTelegramUpdate: {
    params: ['headers', 'body'],
    args: (w) => [SIGNED, JSON.stringify(w.start)],
    alsoAccepts: {
      what: 'the press of Approve the callback_query paths depart from',
      args: (w) => [SIGNED, JSON.stringify(w.press)],
    },
    paths: (w) => ({
      headers: junk,
      [`headers.${TELEGRAM_SECRET_HEADER}`]: fc.oneof(
        except(oneOf(WEBHOOK_SECRET)),
        wrongSecrets,
        fc.constantFrom(
          MISSING,
          [WEBHOOK_SECRET],
          [WEBHOOK_SECRET, WEBHOOK_SECRET],
          new String(WEBHOOK_SECRET),
        ),
      ),
      'headers (a Headers object)': fc.oneof(
        fc.constant(new Headers()),
        wrongSecrets
          .filter((value) => value.trim() === value)
          .map((value) => new Headers({ [TELEGRAM_SECRET_HEADER]: value })),
      ),
      'headers (a get function)': fc
        .oneof(except(oneOf(WEBHOOK_SECRET)), wrongSecrets)
        .map((value) => ({ get: () => value })),
      // Sent twice, in two letter cases: one right, one wrong.
      'headers with the secret header twice': fc
        .tuple(wrongSecrets, fc.boolean())
        .map(([wrong, secretLast]) =>
          secretLast
            ? { [UPPER_HEADER]: wrong, [TELEGRAM_SECRET_HEADER]: WEBHOOK_SECRET }
            : { [TELEGRAM_SECRET_HEADER]: WEBHOOK_SECRET, [UPPER_HEADER]: wrong },
        ),
      body: junk.filter((value) => !looksLikeUpdate(value)),
      'body as text or bytes': malformedText(w),
      ...bodyPaths(w.start, startFields()),
      ...bodyPaths(w.press, pressFields()),
      // Telegram sends at most one of an update's optional fields.
      'body with message and callback_query': fc.constant({
        ...w.start,
        callback_query: w.press.callback_query,
      }),
      // Private chats are users, whose ids are positive.
      'body with a private chat of id 0 or less': fc
        .integer({ min: -(2 ** 40), max: 0 })
        .map((id) => withField(w.start, 'message.chat.id', id)),
    }),
    codes: (path) =>
      path === 'headers'
        ? ['invalid_argument', 'unauthenticated']
        : path.startsWith('headers')
          ? ['unauthenticated']
          : ['invalid_argument'],
  },
};

/** Every field name of the argument objects, kept out of the keys a hostile call adds. */
const FIELD_NAMES: readonly string[] = [
  'id',
  'roles',
  'tenantId',
  'reauthenticatedAt',
  'secondFactor',
  ...LINK_FIELDS,
  'linkId',
  'ip',
  'device',
  'deviceId',
  'get',
  TELEGRAM_SECRET_HEADER,
];

// --- what the service accepts today and should not (for the service's owner) ---------------------

/** Hostile values the service accepts today (see `KnownGap`): none. */
const KNOWN_GAPS: readonly KnownGap<keyof TelegramPush>[] = [];

const gapsOf = (method: keyof TelegramPush, path: string) =>
  KNOWN_GAPS.filter((gap) => gap.method === method && gap.path === path);

/** Updates Telegram could send that the service does not act on: answered, not thrown. */
function unactedUpdates(w: World): fc.Arbitrary<Record<string, unknown>> {
  // Tokens are 16 random characters, then their user's part (see src/push/tokens.ts).
  const ownToken = String((w.start.message as { text?: unknown }).text).split(' ')[1] ?? '';
  const approvalToken = String((w.press.callback_query as { data?: unknown }).data).slice(2);
  const random = fc.stringMatching(/^[A-Za-z0-9_-]{16}$/);
  const nowSeconds = Math.floor(w.clock() / 1000);
  const otherChat = fc.integer({ min: 1, max: 2 ** 40 }).filter((id) => id !== CHAT);
  return fc.oneof(
    // The world's own /start, where anyone could have sent it, or too late.
    fc
      .constantFrom('group', 'supergroup', 'channel')
      .map((type) => withField(w.start, 'message.chat.type', type)),
    fc.integer({ min: 0, max: nowSeconds - 601 }).map((date) => withField(w.start, 'message.date', date)),
    // Messages that are no /start of this bot, and tokens that link nothing.
    fc
      .oneof(
        fc.string(),
        fc.constantFrom('/start', '/help', `/start@OtherLoginBot ${ownToken}`, `/start ${ownToken}!`),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/).map((t) => `/start ${t}`),
        random
          .filter((part) => part !== ownToken.slice(0, 16))
          .map((part) => `/start ${part}${ownToken.slice(16)}`),
      )
      .map((message) => withField(w.start, 'message.text', message)),
    // The world's press, by someone else, from a chat not linked to the user, on no or a stale message.
    otherChat.map((id) => withField(w.press, 'callback_query.from.id', id)),
    otherChat.map((id) =>
      withField(withField(w.press, 'callback_query.from.id', id), 'callback_query.message.chat.id', id),
    ),
    fc.constant(withField(w.press, 'callback_query.message', MISSING)),
    fc.constant(withField(w.press, 'callback_query.message.date', 0)),
    // Buttons that are not an approval's, or name an approval there is not.
    fc
      .oneof(
        fc.string(),
        fc.constantFrom('a:', 'x:abc'),
        fc.stringMatching(/^[ad]:[A-Za-z0-9_-]{1,62}$/),
        random
          .filter((part) => part !== approvalToken.slice(0, 16))
          .map((part) => `a:${part}${approvalToken.slice(16)}`),
      )
      .map((data) => withField(w.press, 'callback_query.data', data)),
    // Other kinds of update.
    fc.constant({ update_id: w.start.update_id, edited_message: w.start.message }),
    fc.constant({ update_id: w.start.update_id }),
  );
}

// --- the tests ------------------------------------------------------------------------------------

/** A world only to list each row's paths while the tests are collected. */
const TEMPLATE = await world();
afterAll(() => TEMPLATE.close());

describe('bad input at every method of TelegramPush', () => {
  it('the table names every method of telegramPush(twoFactor), and no other', () => {
    expect(Object.keys(telegramPush(TEMPLATE.h.twoFactor)).sort()).toEqual(Object.keys(ROWS).sort());
  });

  describe.each(Object.entries(ROWS) as [keyof TelegramPush, Row][])('%s', (method, row) => {
    // The hostile calls of a row share one world: none may change it.
    let w: World;
    beforeAll(async () => {
      w = await world();
    });
    afterAll(() => w.close());

    it('accepts its valid arguments (the baseline every refusal below departs from)', async () => {
      const fresh = await world();
      try {
        const { error } = await settle(fresh.push, method, row.args(fresh));
        expect(error).toBeUndefined();
      } finally {
        await fresh.close();
      }
    });

    const { alsoAccepts } = row;
    if (alsoAccepts !== undefined) {
      it(`accepts ${alsoAccepts.what}`, async () => {
        const fresh = await world();
        try {
          const { error } = await settle(fresh.push, method, alsoAccepts.args(fresh));
          expect(error).toBeUndefined();
        } finally {
          await fresh.close();
        }
      });
    }

    const paths = Object.keys(row.paths(TEMPLATE));
    const covered = paths.filter((path) => !gapsOf(method, path).some((gap) => gap.values === 'all'));
    it.each(covered)(
      '%s ← hostile values: refused with a documented code, the store unchanged',
      async (path) => {
        const arbitrary = row.paths(w)[path];
        if (arbitrary === undefined) throw new Error(`no path ${path}`);
        const hostile = withoutGaps(arbitrary, gapsOf(method, path));
        // A field's hostile value comes, now and then, with keys the object does not have.
        const extra =
          path.includes('.') && !path.includes(' ')
            ? fc.option(extraKeys(FIELD_NAMES), { nil: undefined })
            : fc.constant(undefined);
        await fc.assert(
          fc.asyncProperty(hostile, extra, (value, keys) =>
            refusedUnchanged({
              target: w.push,
              store: w.store,
              method,
              params: row.params,
              args: row.args(w),
              codes: row.codes(path),
              path,
              value,
              extra: keys,
            }),
          ),
          RUN_PARAMETERS,
        );
      },
    );

    const gaps = KNOWN_GAPS.filter((gap) => gap.method === method);
    if (gaps.length > 0) {
      it.each(gaps)('known gap: $path = $example is accepted today ($why)', async (gap) => {
        // A world of its own: the accepted call may change it. Once the service refuses the value, this
        // fails: remove the entry from KNOWN_GAPS, and the property above covers the value again.
        const own = await world();
        try {
          const { error } = await settle(
            own.push,
            method,
            replaced(row, row.args(own), gap.path, gap.example),
          );
          expect(error).toBeUndefined();
        } finally {
          await own.close();
        }
      });
    }
  });

  describe('handleTelegramUpdate, well-formed updates it does not act on', () => {
    let w: World;
    beforeAll(async () => {
      w = await world();
    });
    afterAll(() => w.close());

    it('are answered ignored or refused (results, not errors), the store unchanged', async () => {
      const forms = fc.constantFrom('text', 'bytes', 'parsed');
      await fc.assert(
        fc.asyncProperty(unactedUpdates(w), forms, async (update, form) => {
          const body =
            form === 'parsed'
              ? update
              : form === 'text'
                ? JSON.stringify(update)
                : utf8(JSON.stringify(update));
          const before = w.store.exportSnapshot();
          const { value, error } = await settle(w.push, 'handleTelegramUpdate', [SIGNED, body]);
          const context = `handleTelegramUpdate with ${show(update)} as ${form}`;
          expect(error, `${context} threw`).toBeUndefined();
          expect(['ignored', 'refused'], context).toContain((value as TelegramUpdateHandled).outcome);
          expect(w.store.exportSnapshot(), `${context} changed the store`).toBe(before);
        }),
        RUN_PARAMETERS,
      );
    });
  });
});
