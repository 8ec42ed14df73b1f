// Smoke test of the runtime-independent packages outside Node: loads the BUILT ESM entries (dist/index.js,
// the `import` target of each package's `exports`) of @secondfactor/core, qr, policy and backup-codes, and
// checks real results against expected values. Needs `npm ci` and `npm run build` first.
//
//   node scripts/smoke-runtimes.mjs
//   bun scripts/smoke-runtimes.mjs
//   deno run --no-prompt --no-lock scripts/smoke-runtimes.mjs   (no permission flag needed)
//
// Only web-standard APIs (TextEncoder, crypto.getRandomValues, crypto.subtle, atob, DecompressionStream);
// the RFC vectors come from the one JSON file the core tests use. Prints one line per check and a closing
// line `smoke (<runtime>): N passed, N failed`; exits with 1 when any check failed.

import jsQR from 'jsqr';
import {
  backupCodesFileName,
  createBackupCodeHasher,
  formatBackupCodesFile,
  generateBackupCodes,
  issueBackupCodes,
  normalizeBackupCode,
  regenerateBackupCodes,
  verifyAndConsume,
} from '../packages/backup-codes/dist/index.js';
import {
  base32Decode,
  base32Encode,
  buildKeyUri,
  createHotp,
  createTotp,
  formatSecretForManualEntry,
  generateSecret,
  hotp,
  isSecondFactorError,
  keyUriWarnings,
  parseKeyUri,
  timingSafeEqual,
  totp,
  totpStep,
  verifyHotp,
  verifyTotp,
} from '../packages/core/dist/index.js';
import VECTORS from '../packages/core/test/vectors/rfc4226-rfc6238.json' with { type: 'json' };
import {
  accountAdmin,
  createPolicy,
  exclusiveMethod,
  multiMethod,
  partnerPortal,
  selfService,
  validatePolicy,
} from '../packages/policy/dist/index.js';
import { toDataUrl, toSvg, toTerminal } from '../packages/qr/dist/index.js';
import { MemoryStore } from '../packages/store/dist/index.js';

// ---------------------------------------------------------------------------------------------------------
// Harness

const runtime = globalThis.Bun?.version
  ? `bun ${globalThis.Bun.version}`
  : globalThis.Deno?.version?.deno
    ? `deno ${globalThis.Deno.version.deno}`
    : `node ${globalThis.process?.versions?.node}`;

const totals = { passed: 0, failed: 0 };

/** Runs one check; a thrown error (or rejected promise) is a failure, anything else a pass. */
async function check(label, body) {
  try {
    await body();
    totals.passed++;
    console.log(`ok   ${label}`);
  } catch (error) {
    totals.failed++;
    console.log(`FAIL ${label}\n     ${error instanceof Error ? error.message : String(error)}`);
  }
}

const show = (value) =>
  JSON.stringify(value, (_key, v) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `bytes[${toHex(v)}]` : v,
  ) ?? String(value);

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Deep equality of plain data: primitives, bigints, arrays, Uint8Arrays, objects (a missing key equals undefined). */
function equal(a, b) {
  if (Object.is(a, b)) return true;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return (
      a instanceof Uint8Array &&
      b instanceof Uint8Array &&
      a.length === b.length &&
      a.every((x, i) => x === b[i])
    );
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => equal(a[key], b[key]));
}

/** Like `equal`, but only the keys of `expected` are compared (recursively), as vitest's toMatchObject. */
function matches(actual, expected) {
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((x, i) => matches(actual[i], x))
    );
  }
  if (typeof expected === 'object' && expected !== null && !(expected instanceof Uint8Array)) {
    return (
      typeof actual === 'object' &&
      actual !== null &&
      Object.keys(expected).every((k) => matches(actual[k], expected[k]))
    );
  }
  return equal(actual, expected);
}

function assertEqual(actual, expected, what) {
  assert(equal(actual, expected), `${what}: expected ${show(expected)}, got ${show(actual)}`);
}

function assertMatch(actual, expected, what) {
  assert(matches(actual, expected), `${what}: expected ${show(expected)} within ${show(actual)}`);
}

/** `body` must throw a SecondFactorError with `code`. */
function assertThrows(body, code, what) {
  try {
    body();
  } catch (error) {
    assert(isSecondFactorError(error), `${what}: threw ${String(error)}, not a SecondFactorError`);
    assertEqual(error.code, code, `${what}: error code`);
    return;
  }
  throw new Error(`${what}: did not throw`);
}

async function assertRejects(promise, code, what) {
  try {
    await promise;
  } catch (error) {
    assert(isSecondFactorError(error), `${what}: rejected with ${String(error)}, not a SecondFactorError`);
    assertEqual(error.code, code, `${what}: error code`);
    return;
  }
  throw new Error(`${what}: did not reject`);
}

const encoder = new TextEncoder();
const bytes = (text) => encoder.encode(text);
const toHex = (data) => [...data].map((b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));

/** HMAC computed by the runtime's WebCrypto, independent of @noble/hashes. */
async function webHmac(hash, key, message) {
  const cryptoKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, message));
}

/** The 8-byte big-endian counter that HOTP feeds to HMAC (RFC 4226 §5.2). */
function counterBytes(counter) {
  const data = new Uint8Array(8);
  new DataView(data.buffer).setBigUint64(0, BigInt(counter));
  return data;
}

console.log(`smoke: ${runtime}`);

// ---------------------------------------------------------------------------------------------------------
// @secondfactor/core

const seed = (algorithm) => bytes(VECTORS.seeds_ascii[algorithm]);
const SHA1_SEED = seed('SHA1');

for (const row of VECTORS.hotp) {
  await check(`core: RFC 4226 App. D counter ${row.counter} → ${row.code}`, async () => {
    // Table 1 (HMAC) from WebCrypto, Table 2 (truncation) through an 8-digit hotp, then the code itself.
    assertEqual(toHex(await webHmac('SHA-1', SHA1_SEED, counterBytes(row.counter))), row.hmac, 'HMAC-SHA-1');
    assertEqual(Number.parseInt(row.truncated_hex, 16), row.truncated_decimal, 'truncated_hex');
    const truncated = String(row.truncated_decimal % 10 ** 8).padStart(8, '0');
    assertEqual(hotp(SHA1_SEED, row.counter, { digits: 8 }), truncated, 'hotp digits 8');
    assertEqual(hotp(SHA1_SEED, row.counter), row.code, 'hotp');
    assertEqual(hotp(SHA1_SEED, BigInt(row.counter)), row.code, 'hotp, bigint counter');
    assertEqual(createHotp(SHA1_SEED).generate(row.counter), row.code, 'createHotp().generate');
    const found = { valid: true, counter: row.counter };
    // lastUsedStep: the counter of the last accepted code (undefined: none yet); later counters are tried.
    const before = row.counter === 0 ? {} : { lastUsedStep: row.counter - 1 };
    assertEqual(verifyHotp(SHA1_SEED, row.code, before), found, 'verifyHotp');
    const ahead = row.counter < 3 ? {} : { lastUsedStep: row.counter - 3, lookAhead: 2 };
    assertEqual(verifyHotp(SHA1_SEED, row.code, ahead), found, 'verifyHotp within lookAhead');
    if (row.counter > 0) {
      const big = verifyHotp(SHA1_SEED, row.code, { lastUsedStep: BigInt(row.counter - 1) });
      assertEqual(big, { valid: true, counter: BigInt(row.counter) }, 'verifyHotp, bigint lastUsedStep');
    }
    const replay = verifyHotp(SHA1_SEED, row.code, { lastUsedStep: row.counter });
    assertEqual(replay, { valid: false, reason: 'mismatch' }, 'verifyHotp never accepts lastUsedStep again');
  });
}

await check('core: RFC 4226 §5.4 dynamic truncation example (arithmetic on the given HMAC)', () => {
  const example = VECTORS.section5_4;
  const hmac = fromHex(example.hmac);
  const offset = hmac[19] & 0x0f;
  const value = new DataView(hmac.buffer).getUint32(offset) & 0x7fffffff;
  assertEqual(offset, example.offset, 'offset');
  assertEqual(value.toString(16).padStart(8, '0'), example.hex, 'hex');
  assertEqual(value, example.decimal, 'decimal');
  assertEqual(String(value % 1_000_000).padStart(6, '0'), example.hotp, 'hotp');
});

for (const row of VECTORS.totp) {
  await check(`core: RFC 6238 App. B ${row.algorithm} t=${row.time} → ${row.code}`, () => {
    const key = seed(row.algorithm);
    const time = row.time * 1000;
    const step = Math.floor(row.time / 30);
    const options = { time, algorithm: row.algorithm, digits: 8 };
    assertEqual(totp(key, options), row.code, 'totp');
    assertEqual(totpStep({ time }), step, 'totpStep');
    assertEqual(verifyTotp(key, row.code, options), { valid: true, step, driftSteps: 0 }, 'verifyTotp');
    const replay = verifyTotp(key, row.code, { ...options, lastUsedStep: step });
    assertEqual(replay, { valid: false, reason: 'replayed' }, 'verifyTotp lastUsedStep');
    const prepared = createTotp(key, { algorithm: row.algorithm, digits: 8, clock: () => time });
    assertEqual(prepared.generate(), row.code, 'createTotp().generate at the clock');
    assertEqual(prepared.verify(row.code), { valid: true, step, driftSteps: 0 }, 'createTotp().verify');
  });
}

await check('core: negative control, the 20-byte seed under HMAC-SHA-256/512 at t=59 s', () => {
  const control = VECTORS.negative_control;
  const at = (algorithm) => totp(SHA1_SEED, { time: 59_000, algorithm, digits: 8 });
  assertEqual(at('SHA256'), control.SHA256_20byte_seed_t59, 'SHA256');
  assertEqual(at('SHA512'), control.SHA512_20byte_seed_t59, 'SHA512');
});

await check('core: verifyTotp window, drift, malformed codes and option errors', () => {
  const code = totp(SHA1_SEED, { time: 59_000 });
  assertEqual(code, '287082', 'totp 6 digits at 59 s');
  assertEqual(
    verifyTotp(SHA1_SEED, code, { time: 89_000 }),
    { valid: true, step: 1, driftSteps: -1 },
    'one step late',
  );
  assertEqual(verifyTotp(SHA1_SEED, code, { time: 119_000 }).reason, 'mismatch', 'two steps late, window 1');
  assertEqual(verifyTotp(SHA1_SEED, code, { time: 119_000, window: 2 }).valid, true, 'window 2');
  assertEqual(verifyTotp(SHA1_SEED, '287 082', { time: 59_000 }).valid, true, 'spaces are ignored');
  assertEqual(verifyTotp(SHA1_SEED, '28708', { time: 59_000 }).reason, 'malformed', 'five digits');
  assertEqual(verifyTotp(SHA1_SEED, 287082, { time: 59_000 }).reason, 'malformed', 'a number');
  assertThrows(
    () => verifyTotp(SHA1_SEED, code, { time: 59_000, window: 11 }),
    'invalid_argument',
    'window 11',
  );
  assertThrows(() => verifyTotp(new Uint8Array(0), code), 'invalid_secret', 'empty secret');
});

await check('core: base32 RFC 4648 §10 vectors, tolerant decoding, manual-entry format', () => {
  const rfc = {
    f: 'MY======',
    fo: 'MZXQ====',
    foo: 'MZXW6===',
    foob: 'MZXW6YQ=',
    fooba: 'MZXW6YTB',
    foobar: 'MZXW6YTBOI======',
  };
  for (const [plain, padded] of Object.entries(rfc)) {
    assertEqual(base32Encode(bytes(plain), { padding: true }), padded, `encode ${plain}, padded`);
    assertEqual(base32Encode(bytes(plain)), padded.replace(/=+$/, ''), `encode ${plain}`);
    assertEqual(base32Decode(padded), bytes(plain), `decode ${padded}`);
  }
  assertEqual(base32Decode('mzxw-6ytb oi'), bytes('foobar'), 'lowercase, hyphen and space');
  const random = generateSecret({ bytes: 37 });
  assertEqual(base32Decode(base32Encode(random)), random, 'round trip of 37 random bytes');
  assertEqual(
    formatSecretForManualEntry(SHA1_SEED),
    'GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ',
    'manual entry',
  );
  assertThrows(() => base32Decode('MZXW1'), 'invalid_base32', 'the symbol 1');
  assertThrows(() => base32Decode('MZX=W6'), 'invalid_base32', 'padding in the middle');
});

await check('core: generateSecret sizes, injected random source, platform CSPRNG', () => {
  assertEqual(generateSecret().length, 20, 'default (SHA1)');
  assertEqual(generateSecret({ algorithm: 'SHA256' }).length, 32, 'SHA256');
  assertEqual(generateSecret({ algorithm: 'SHA512' }).length, 64, 'SHA512');
  const fixed = generateSecret({ bytes: 16, random: (out) => out.fill(0xab) });
  assertEqual(fixed, new Uint8Array(16).fill(0xab), 'injected source');
  const returnsNew = (out) => crypto.getRandomValues(new Uint8Array(out.length));
  assertThrows(
    () => generateSecret({ random: returnsNew }),
    'invalid_argument',
    'a source that fills nothing',
  );
  assert(!equal(generateSecret(), generateSecret()), 'two platform secrets are equal');
  assertThrows(() => generateSecret({ bytes: 10 }), 'invalid_argument', '10 bytes without allowLegacy');
  assertEqual(generateSecret({ bytes: 10, allowLegacy: true }).length, 10, '10 bytes with allowLegacy');
});

await check('core: buildKeyUri / parseKeyUri round trip and keyUriWarnings', () => {
  const params = {
    type: 'totp',
    secret: SHA1_SEED,
    account: 'ada@example.com',
    issuer: 'ACME Co',
    digits: 8,
  };
  const uri = buildKeyUri(params);
  const expected =
    'otpauth://totp/ACME%20Co:ada%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' +
    '&issuer=ACME%20Co&algorithm=SHA1&digits=8&period=30';
  assertEqual(uri, expected, 'buildKeyUri');
  const parsed = parseKeyUri(uri);
  assertEqual(parsed, { ...params, algorithm: 'SHA1', period: 30, image: undefined }, 'parseKeyUri');
  assertEqual(buildKeyUri(parsed), uri, 'rebuilt from the parsed parameters');
  assertEqual(
    keyUriWarnings(params).map((w) => w.parameter),
    ['digits'],
    'keyUriWarnings',
  );

  const hotpParams = {
    type: 'hotp',
    secret: generateSecret(),
    account: 'bob',
    counter: 42,
    algorithm: 'SHA256',
  };
  const hotpUri = buildKeyUri(hotpParams);
  assert(hotpUri.startsWith('otpauth://hotp/bob?secret='), `hotp URI: ${hotpUri}`);
  assertMatch(parseKeyUri(hotpUri), { ...hotpParams, digits: 6 }, 'hotp parseKeyUri');
  assertThrows(() => buildKeyUri({ ...params, account: 'a:b' }), 'invalid_argument', 'colon in account');
  assertThrows(() => parseKeyUri('https://example.com/?secret=GEZD'), 'invalid_uri', 'another scheme');
});

await check('core: createTotp with an injected clock, window and destroy', () => {
  let now = 1_111_111_109_000;
  const otp = createTotp(SHA1_SEED, { digits: 8, clock: () => now });
  assertEqual(otp.generate(), '07081804', 'code at the clock (RFC 6238 App. B)');
  assertEqual(otp.step(), 37_037_036, 'step at the clock');
  now += 30_000;
  assertEqual(otp.verify('07081804'), { valid: true, step: 37_037_036, driftSteps: -1 }, 'one step later');
  now += 30_000;
  assertEqual(otp.verify('07081804').reason, 'mismatch', 'two steps later');
  assertEqual(otp.verify('07081804', { window: 2 }).valid, true, 'two steps later, window 2');
  otp.destroy();
  assert(
    (() => {
      try {
        otp.generate();
        return false;
      } catch (error) {
        return isSecondFactorError(error);
      }
    })(),
    'generate after destroy did not throw a SecondFactorError',
  );
});

await check('core: timingSafeEqual', () => {
  assertEqual(timingSafeEqual('287082', '287082'), true, 'equal strings');
  assertEqual(timingSafeEqual('287082', '287083'), false, 'different strings');
  assertEqual(timingSafeEqual('28708', '287082'), false, 'different lengths');
  assertEqual(timingSafeEqual(bytes('é'), 'é'), true, 'bytes against the UTF-8 of a string');
  assertEqual(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])), false, 'different bytes');
});

// ---------------------------------------------------------------------------------------------------------
// @secondfactor/qr

const QR_URI = buildKeyUri({
  type: 'totp',
  secret: SHA1_SEED,
  account: 'ada@example.com',
  issuer: 'ACME Co',
});
const isModuleCount = (n) => n >= 21 && n <= 177 && (n - 21) % 4 === 0;

/** The dark modules of toSvg's single path (`M{x} {y}h{run}v1h-{run}z` per run), margin removed. */
function svgModules(svg) {
  const total = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const path = /<path [^>]*d="([^"]*)"/.exec(svg)?.[1] ?? '';
  const margin = 4;
  const size = total - 2 * margin;
  const grid = Array.from({ length: size }, () => new Array(size).fill(false));
  for (const [, x, y, run] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
    for (let i = 0; i < Number(run); i++) grid[Number(y) - margin][Number(x) - margin + i] = true;
  }
  return grid;
}

/** The modules of toTerminal's full-size output on a light background, where `██` is a dark module. */
function terminalModules(text, margin) {
  return text
    .split('\n')
    .slice(margin, -margin)
    .map((line) => [...line.slice(2 * margin, -2 * margin).matchAll(/../g)].map(([pair]) => pair === '██'));
}

/** Scans a module grid with jsQR: 4 pixels per module and a 4-module quiet zone, black on white. */
function scan(grid) {
  const scale = 4;
  const side = (grid.length + 8) * scale;
  const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
  for (const [y, row] of grid.entries()) {
    for (const [x, dark] of row.entries()) {
      if (!dark) continue;
      for (let dy = 0; dy < scale; dy++) {
        const start = (((y + 4) * scale + dy) * side + (x + 4) * scale) * 4;
        for (let i = 0; i < scale * 4; i += 4) pixels.fill(0, start + i, start + i + 3);
      }
    }
  }
  return jsQR(pixels, side, side)?.data;
}

/** Chunks of a PNG file: [{ type, data }]. */
function pngChunks(png) {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks = [];
  for (let at = 8; at + 8 <= png.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    chunks.push({ type, data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return chunks;
}

async function inflate(data) {
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const svgGrid = svgModules(toSvg(QR_URI));

await check('qr: toSvg of a key URI is one <svg> whose modules scan back to the URI', () => {
  const svg = toSvg(QR_URI);
  assert(
    svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 '),
    `svg start: ${svg.slice(0, 60)}`,
  );
  assert(svg.endsWith('</svg>'), 'svg end');
  assert(isModuleCount(svgGrid.length), `module count ${svgGrid.length}`);
  assertEqual(scan(svgGrid), QR_URI, 'jsQR reading of the SVG modules');
  const sized = toSvg(QR_URI, { width: 256 });
  assert(sized.includes(' width="256" height="256"'), 'width option');
  const params = { type: 'totp', secret: SHA1_SEED, account: 'ada@example.com', issuer: 'ACME Co' };
  assertEqual(toSvg(params), svg, 'parameters give the same SVG as their URI');
  assertThrows(() => toSvg('https://example.com/'), 'invalid_uri', 'not an otpauth URI');
  assertThrows(() => toSvg(QR_URI, { margin: 17 }), 'invalid_argument', 'margin 17');
});

await check('qr: toTerminal draws the same modules as the SVG, in both sizes', () => {
  const full = toTerminal(QR_URI, { small: false, background: 'light', margin: 4 });
  assertEqual(terminalModules(full, 4), svgGrid, 'full-size modules');
  const small = toTerminal(QR_URI).split('\n');
  const width = svgGrid.length + 4;
  assertEqual(small.length, Math.ceil(width / 2), 'small: lines');
  assert(
    small.every((line) => [...line].length === width && /^[ ▀▄█]+$/u.test(line)),
    'small: every line N + 2m block characters',
  );
  assert(/^█+$/u.test(small[0]), 'small, dark background: the quiet zone is drawn');
});

await check('qr: toDataUrl gives a PNG of the expected size', async () => {
  const url = await toDataUrl(QR_URI, { scale: 3 });
  const prefix = 'data:image/png;base64,';
  assert(url.startsWith(prefix), `data URL start: ${url.slice(0, 30)}`);
  const png = Uint8Array.from(atob(url.slice(prefix.length)), (c) => c.charCodeAt(0));
  assertEqual(toHex(png.subarray(0, 8)), '89504e470d0a1a0a', 'PNG signature');
  const chunks = pngChunks(png);
  assertEqual(chunks[0].type, 'IHDR', 'first chunk');
  assertEqual(chunks.at(-1).type, 'IEND', 'last chunk');
  const header = new DataView(chunks[0].data.buffer, chunks[0].data.byteOffset);
  const side = (svgGrid.length + 8) * 3;
  assertEqual([header.getUint32(0), header.getUint32(4)], [side, side], 'width and height');
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[header.getUint8(9)];
  assertEqual(header.getUint8(8), 8, 'bit depth');
  const idat = chunks.filter((chunk) => chunk.type === 'IDAT').map((chunk) => [...chunk.data]);
  const raw = await inflate(new Uint8Array(idat.flat()));
  assertEqual(raw.length, side * (1 + side * channels), 'inflated image data (filter byte + pixels per row)');
});

// ---------------------------------------------------------------------------------------------------------
// @secondfactor/policy

const NOW = 1_700_000_000_000;
const ctx = (tenantFeatures) => (tenantFeatures === undefined ? { now: NOW } : { now: NOW, tenantFeatures });
const devicesOf = (...methods) => methods.map((method, i) => ({ method, id: `${method}-${i}` }));
/** A user; `tenantId: null` for a single-tenant policy, which names no tenant. */
const subject = (id, { roles = [], tenantId = 'acme', settings = {} } = {}) => {
  const devices = settings.devices ?? [];
  return {
    id,
    roles,
    ...(tenantId === null ? {} : { tenantId }),
    settings: {
      useTwoFactor: null,
      mayToggle: null,
      enrollment: devices.length > 0 ? 'active' : 'none',
      devices,
      graceStartedAt: null,
      ...settings,
    },
  };
};
/** The subject acting on his own behalf, with password and an app code proven just now. */
const actorOf = ({ id, roles, tenantId }) => ({
  id,
  roles,
  ...(tenantId === undefined ? {} : { tenantId }),
  reauthenticatedAt: NOW,
  secondFactor: { at: NOW, method: 'totp' },
});

await check('policy: accountAdmin: an admin requires 2FA of a user, who must then set up TOTP', () => {
  const policy = createPolicy(accountAdmin);
  const admin = subject('adm-1', { roles: ['admin'], settings: { devices: devicesOf('totp') } });
  const plain = subject('u-1');
  const stranger = subject('adm-x', { roles: ['admin'], tenantId: 'globex' });
  assertMatch(
    policy.canSetUseTwoFactor(actorOf(admin), plain, true, ctx()),
    { allowed: true, reason: 'tenant_admin' },
    'own tenant',
  );
  assertEqual(
    policy.canSetUseTwoFactor(actorOf(stranger), plain, true, ctx()).reason,
    'different_tenant',
    'other tenant',
  );
  const switchedOn = subject('u-2', { settings: { useTwoFactor: true } });
  assertMatch(
    policy.loginRequirement(switchedOn, ctx()),
    { kind: 'enroll', methods: ['totp'] },
    'loginRequirement',
  );
});

await check('policy: exclusiveMethod: one method at a time', () => {
  const policy = createPolicy(exclusiveMethod);
  const smsUser = subject('e-2', { settings: { devices: devicesOf('sms') } });
  const expected = { allowed: false, reason: 'exclusive_method_active', detail: { activeMethods: ['sms'] } };
  assertMatch(policy.canAddMethod(actorOf(smsUser), smsUser, 'totp', ctx()), expected, 'canAddMethod');
  assertMatch(
    policy.loginRequirement(smsUser, ctx()),
    { kind: 'challenge', methods: ['sms'] },
    'loginRequirement',
  );
});

await check('policy: multiMethod: voice is a fallback, SMS after repeated calls', () => {
  const policy = createPolicy(multiMethod);
  const appAndPhone = subject('m-3', { tenantId: null, settings: { devices: devicesOf('totp', 'voice') } });
  const expected = { kind: 'challenge', methods: ['totp'], fallbackMethods: ['voice'] };
  assertMatch(policy.loginRequirement(appAndPhone, ctx()), expected, 'loginRequirement');
  const channels = [0, 1, 2, 3, 4].map((calls) => policy.voiceDeliveryChannel(calls));
  assertEqual(channels, ['voice', 'voice', 'voice', 'sms', 'sms'], 'voiceDeliveryChannel');
});

await check('policy: partnerPortal: 2FA follows the tenant features', () => {
  const policy = createPolicy(partnerPortal);
  const newcomer = subject('p-1', { roles: ['admin'] });
  const none = { kind: 'none', reason: 'feature_unavailable' };
  assertMatch(policy.loginRequirement(newcomer, ctx([])), none, 'not a partner');
  const enroll = { kind: 'enroll', reason: 'required_by_tenant', methods: ['totp'], deferrable: false };
  assertMatch(policy.loginRequirement(newcomer, ctx(['partner', '2fa_totp'])), enroll, 'partner with TOTP');
  assertThrows(() => policy.loginRequirement(newcomer, ctx()), 'invalid_argument', 'features left out');
});

await check('policy: selfService: optional 2FA the user switches on himself', () => {
  const policy = createPolicy(selfService);
  const newcomer = subject('c-1', { tenantId: null, settings: { backupCodesRemaining: 0 } });
  const enrolled = subject('c-2', {
    tenantId: null,
    settings: { devices: devicesOf('totp'), backupCodesRemaining: 10 },
  });
  assertMatch(policy.loginRequirement(newcomer, ctx()), { kind: 'none', reason: 'not_required' }, 'newcomer');
  assertMatch(
    policy.canSetUseTwoFactor(actorOf(newcomer), newcomer, true, ctx()),
    { allowed: true, reason: 'owner' },
    'canSetUseTwoFactor',
  );
  const challenge = { kind: 'challenge', methods: ['totp'], fallbackMethods: ['backup_code'] };
  assertMatch(policy.loginRequirement(enrolled, ctx()), challenge, 'enrolled');
});

await check('policy: an invalid policy is refused', () => {
  const onlySms = { methods: { allowed: ['sms'] } };
  assertEqual(
    validatePolicy(onlySms).map((problem) => problem.code),
    ['only_restricted_methods'],
    'validatePolicy',
  );
  assertThrows(() => createPolicy(onlySms), 'invalid_policy', 'createPolicy');
});

// ---------------------------------------------------------------------------------------------------------
// @secondfactor/backup-codes

/** A random source that returns 0, 1, 2, … across calls (after `skip` calls of rejected 255s). */
function countingRandom(skip = 0) {
  let next = 0;
  let calls = 0;
  return (out) => {
    if (calls++ < skip) return void out.fill(255);
    for (let i = 0; i < out.length; i++) out[i] = next++ % 256;
  };
}

const HMAC_KEY = new Uint8Array(32).map((_, i) => i + 1);

await check('backup-codes: generateBackupCodes format and injected random source', () => {
  const codes = generateBackupCodes();
  assertEqual(codes.length, 10, 'default count');
  assert(
    codes.every((code) => /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/.test(code)),
    `format: ${codes[0]}`,
  );
  assertEqual(new Set(codes).size, 10, 'distinct codes');
  // 16 symbols from a 24-byte draw per code: bytes 0–15, then 24–39.
  const fixed = generateBackupCodes({ count: 2, random: countingRandom() });
  assertEqual(fixed, ['0123-4567-89AB-CDEF', 'RSTV-WXYZ-0123-4567'], 'Crockford from 0, 1, 2, …');
  // A draw of only 255s is rejected whole (255 ≥ 250) before the digits come.
  const numeric = { count: 1, alphabet: 'numeric', length: 13, throttled: true, groupSize: 0 };
  assertEqual(generateBackupCodes({ ...numeric, random: countingRandom(1) }), ['0123456789012'], 'numeric');
  assertThrows(() => generateBackupCodes({ length: 12 }), 'invalid_argument', '60 bits without throttled');
});

await check('backup-codes: normalizeBackupCode', () => {
  assertEqual(normalizeBackupCode(' 7k2m qx9p-r4td\u2013w3hb\n'), '7K2MQX9PR4TDW3HB', 'case, spaces, dashes');
  assertEqual(normalizeBackupCode('OIL0-0000-0000-0000'), '0110000000000000', 'O → 0, I and L → 1');
  assertEqual(normalizeBackupCode('\uff17K2M-QX9P-R4TD-W3HB'), '7K2MQX9PR4TDW3HB', 'full-width digit');
  assertEqual(normalizeBackupCode('UK2M-QX9P-R4TD-W3HB'), null, 'U is no symbol');
  assertEqual(normalizeBackupCode('7K2M-QX9P-R4TD-W3HB 8M3N-RY0Q-S5VE-X4JC'), null, 'two codes');
  assertEqual(normalizeBackupCode(7), null, 'not a string');
});

await check('backup-codes: keyed digest is HMAC-SHA-256 of label, user id and code', async () => {
  const hasher = createBackupCodeHasher({ key: HMAC_KEY });
  assertEqual(hasher.mode, 'hmac', 'mode');
  assertEqual(hasher.newSalt(), undefined, 'no salt');
  const digest = await hasher.digest('user-1', '7K2MQX9PR4TDW3HB', undefined);
  const message = bytes('secondfactor.backup-code.v1\u0000user-1\u00007K2MQX9PR4TDW3HB');
  assertEqual(digest, toHex(await webHmac('SHA-256', HMAC_KEY, message)), 'digest against WebCrypto');
  assert(digest !== (await hasher.digest('user-2', '7K2MQX9PR4TDW3HB', undefined)), 'bound to the user');
  await assertRejects(
    hasher.digest('user-1', '7K2M-QX9P-R4TD-W3HB', undefined),
    'invalid_argument',
    'raw input',
  );
  assertThrows(() => createBackupCodeHasher({ key: new Uint8Array(31) }), 'invalid_argument', '31-byte key');
});

await check('backup-codes: issue, verify and consume, regenerate (keyed, MemoryStore)', async () => {
  const store = new MemoryStore();
  const hasher = createBackupCodeHasher({ key: HMAC_KEY });
  const issued = await issueBackupCodes(store, 'user-1', { hasher, now: NOW });
  assertEqual(issued.codes.length, 10, 'codes');
  assertEqual(
    issued.event,
    { type: 'backup_codes.issued', userId: 'user-1', remaining: 10, at: NOW },
    'event',
  );
  const typed = ` ${issued.codes[0].toLowerCase().replaceAll('-', ' ')} `;
  const used = await verifyAndConsume(store, 'user-1', typed, { hasher, now: NOW + 1 });
  assertMatch(used, { valid: true, remaining: 9, low: false }, 'first use');
  const again = await verifyAndConsume(store, 'user-1', issued.codes[0], { hasher, now: NOW + 2 });
  assertEqual(again, { valid: false, reason: 'mismatch' }, 'second use');
  const malformed = await verifyAndConsume(store, 'user-1', 'not a code', { hasher, now: NOW });
  assertEqual(malformed, { valid: false, reason: 'malformed' }, 'malformed');
  assertEqual(
    (await verifyAndConsume(store, 'user-2', issued.codes[1], { hasher, now: NOW })).valid,
    false,
    'other user',
  );
  await assertRejects(issueBackupCodes(store, 'user-1', { hasher, now: NOW }), 'conflict', 'second issue');
  await assertRejects(
    regenerateBackupCodes(store, 'user-1', { hasher, now: NOW }),
    'fresh_auth_required',
    'no reauth',
  );
  const fresh = await regenerateBackupCodes(store, 'user-1', { hasher, now: NOW + 3, reauthenticated: true });
  assertEqual(fresh.event.type, 'backup_codes.regenerated', 'regenerated event');
  assertEqual(
    (await verifyAndConsume(store, 'user-1', issued.codes[1], { hasher, now: NOW + 4 })).valid,
    false,
    'old set',
  );
  assertEqual(
    (await verifyAndConsume(store, 'user-1', fresh.codes[9], { hasher, now: NOW + 5 })).valid,
    true,
    'new set',
  );
});

await check('backup-codes: salted scrypt mode (low test cost) issues and verifies', async () => {
  const store = new MemoryStore();
  const hasher = createBackupCodeHasher({ mode: 'scrypt', cost: { N: 16, r: 8, p: 1 }, allowLowCost: true });
  assert(/^01040801[0-9a-f]{32}$/.test(hasher.newSalt()), 'salt layout');
  const { codes } = await issueBackupCodes(store, 'user-1', { hasher, now: NOW, count: 3 });
  assertMatch(
    await verifyAndConsume(store, 'user-1', codes[2], { hasher, now: NOW }),
    { valid: true, remaining: 2 },
    'use',
  );
  assertEqual(
    await verifyAndConsume(store, 'user-1', codes[2], { hasher, now: NOW }),
    { valid: false, reason: 'mismatch' },
    'reuse',
  );
});

await check('backup-codes: the printable file and its name', () => {
  const codes = ['0123-4567-89AB-CDEF', 'RSTV-WXYZ-0123-4567'];
  const input = { issuer: 'Acme', account: 'ada@example.com', codes, createdAt: Date.UTC(2025, 10, 23, 12) };
  const expected = [
    'Acme backup codes for ada@example.com',
    'Created 2025-11-23 (UTC)',
    '',
    'Each code signs you in once when you cannot use your usual second factor. Keep them private and safe.',
    '',
    '1. 0123-4567-89AB-CDEF',
    '2. RSTV-WXYZ-0123-4567',
    '',
  ];
  assertEqual(formatBackupCodesFile(input), expected.join('\n'), 'text');
  assertEqual(formatBackupCodesFile({ ...input, lineEnding: '\r\n' }), expected.join('\r\n'), 'CRLF text');
  assertEqual(backupCodesFileName('Acme'), 'acme-backup-codes.txt', 'file name');
  assertEqual(backupCodesFileName('Café Ünïcode'), 'cafe-unicode-backup-codes.txt', 'accented file name');
  assertThrows(
    () => formatBackupCodesFile({ ...input, issuer: 'Acme\nForged line' }),
    'invalid_argument',
    'line break',
  );
  assertThrows(
    () => formatBackupCodesFile({ ...input, codes: ['deadbeef'] }),
    'invalid_argument',
    'a digest',
  );
});

// ---------------------------------------------------------------------------------------------------------

console.log(`\nsmoke (${runtime}): ${totals.passed} passed, ${totals.failed} failed`);
if (totals.failed > 0) {
  if (globalThis.Deno) globalThis.Deno.exitCode = 1;
  else globalThis.process.exitCode = 1;
}
