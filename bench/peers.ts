/**
 * @module
 * The peer libraries and the `node:crypto` baseline, each adapted to {@link Implementation} with its
 * own idiomatic call and the cheapest secret form its API accepts, so no peer pays for a conversion that
 * its users would not.
 */
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { generateHOTP, generateTOTP, verifyTOTPWithGracePeriod } from '@oslojs/otp';
import { Secret, TOTP } from 'otpauth';
import { type CryptoPlugin, generateSync, NobleCryptoPlugin, verifySync } from 'otplib';
import speakeasy from 'speakeasy';
import { DIGITS, PERIOD, referenceHotp, SECRET, SECRET_HEX, stepOf, TIMES_MS, TIMES_S } from './fixtures';
import type { Implementation } from './implementation';

/** otplib 13 functional API with its default (noble) crypto plugin; `epochTolerance: 30` = ±1 step. */
function otplib(): Implementation {
  const noble = new NobleCryptoPlugin();
  return {
    name: 'otplib 13 (verifySync / generateSync)',
    kind: 'peer',
    clock: 'injected',
    generate: (i) => generateSync({ secret: SECRET, epoch: TIMES_S[i]! }),
    verify: (code, i) =>
      verifySync({ secret: SECRET, token: code, epoch: TIMES_S[i]!, epochTolerance: 30 }).valid,
    hmacsPerVerify: (code, i) => {
      let calls = 0;
      const counting: CryptoPlugin = {
        name: 'counting-noble',
        hmac: (algorithm, key, data) => {
          calls++;
          return noble.hmac(algorithm, key, data);
        },
        randomBytes: (length) => noble.randomBytes(length),
        constantTimeEqual: (a, b) => noble.constantTimeEqual(a, b),
      };
      verifySync({ secret: SECRET, token: code, epoch: TIMES_S[i]!, epochTolerance: 30, crypto: counting });
      return calls;
    },
    notes: [
      'otplib: `epoch` is Unix seconds; `epochTolerance: 30` spans exactly steps −1…+1 at any instant.',
    ],
  };
}

/** otpauth 9: a `TOTP` object built once (its documented usage), `validate({ token, timestamp, window: 1 })`. */
function otpauth(): Implementation {
  const secret = new Secret({ buffer: SECRET.slice().buffer });
  const totp = new TOTP({ secret, algorithm: 'SHA1', digits: DIGITS, period: PERIOD });
  return {
    name: 'otpauth 9 (TOTP#validate / #generate)',
    kind: 'peer',
    clock: 'injected',
    generate: (i) => totp.generate({ timestamp: TIMES_MS[i]! }),
    verify: (code, i) => totp.validate({ token: code, timestamp: TIMES_MS[i]!, window: 1 }) !== null,
    hmacsPerVerify: (code, i) => {
      let calls = 0;
      const counting = new TOTP({
        secret,
        hmac: (algorithm, key, message) => {
          calls++;
          return new Uint8Array(createHmac(algorithm, key).update(message).digest());
        },
      });
      counting.validate({ token: code, timestamp: TIMES_MS[i]!, window: 1 });
      return calls;
    },
    notes: ['otpauth: in Node its HMAC is `node:crypto` (the browser build carries its own SHA code).'],
  };
}

/** speakeasy 2: hex secret (its cheapest string encoding), `time` in Unix seconds. */
function speakeasyImpl(): Implementation {
  // The CommonJS exports object: verify() calls `exports.digest`, so wrapping it there counts HMACs.
  const cjs = createRequire(import.meta.url)('speakeasy') as { digest: (o: object) => Buffer };
  return {
    name: 'speakeasy 2 (totp.verify / totp)',
    kind: 'peer',
    clock: 'injected',
    generate: (i) => speakeasy.totp({ secret: SECRET_HEX, encoding: 'hex', time: TIMES_S[i]! }),
    verify: (code, i) =>
      speakeasy.totp.verify({
        secret: SECRET_HEX,
        encoding: 'hex',
        token: code,
        window: 1,
        time: TIMES_S[i]!,
      }),
    hmacsPerVerify: (code, i) => {
      const original = cjs.digest;
      let calls = 0;
      cjs.digest = (o) => {
        calls++;
        return original(o);
      };
      try {
        speakeasy.totp.verify({
          secret: SECRET_HEX,
          encoding: 'hex',
          token: code,
          window: 1,
          time: TIMES_S[i]!,
        });
      } finally {
        cjs.digest = original;
      }
      return calls;
    },
    notes: [
      'speakeasy: compares codes with `parseInt(...) ===` (not constant-time); decodes the secret on every HMAC.',
    ],
  };
}

/** @oslojs/otp 1: reads `Date.now()` itself; a grace period of one period (30 s) = steps −1…+1. */
function oslo(): Implementation {
  return {
    name: '@oslojs/otp 1 (verifyTOTPWithGracePeriod / generateTOTP)',
    kind: 'peer',
    clock: 'system',
    generate: () => generateTOTP(SECRET, PERIOD, DIGITS),
    verify: (code) => verifyTOTPWithGracePeriod(SECRET, PERIOD, DIGITS, code, PERIOD),
    hotp: (counter) => generateHOTP(SECRET, BigInt(counter), DIGITS),
    notes: [
      '@oslojs/otp: no time parameter (it reads `Date.now()`), so it runs at the current instant instead of ' +
        'the fixture instants; it returns a bare boolean (no matched step, so no replay guard can be built on ' +
        'it) and supports SHA-1 only. HMAC count not hookable; by its source a 30 s grace always spans 3 steps.',
    ],
  };
}

/** Not a peer: the floor for "3 × HMAC-SHA-1 + truncation" with Node's native OpenSSL HMAC. */
function nodeBaseline(): Implementation {
  return {
    name: 'node:crypto createHmac loop (baseline)',
    kind: 'baseline',
    clock: 'injected',
    generate: (i) => referenceHotp(SECRET, stepOf(TIMES_MS[i]!)),
    verify: (code, i) => {
      const step = stepOf(TIMES_MS[i]!);
      let ok = false;
      for (let d = -1; d <= 1; d++) {
        // No early exit: all three candidates are computed, like a constant-time verifier.
        const match = referenceHotp(SECRET, step + d) === code;
        ok = match || ok;
      }
      return ok;
    },
    notes: [
      'baseline: native HMAC with no validation, no constant-time compare, no options; a floor, not a peer.',
    ],
  };
}

/** Every peer plus the baseline, in table order. */
export function peers(): Implementation[] {
  return [otplib(), otpauth(), speakeasyImpl(), oslo(), nodeBaseline()];
}
