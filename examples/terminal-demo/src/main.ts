/**
 * @module
 * `npm run demo`: enrol a phone with a QR code in the terminal, then check the codes it shows.
 * Reads one code per line from stdin, so it also runs non-interactively (`printf '123456\n' | …`).
 */

import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  base32Decode,
  base32Encode,
  buildKeyUri,
  formatSecretForManualEntry,
  generateSecret,
  isSecondFactorError,
  MIN_SECRET_BYTES,
  verifyTotp,
} from '@secondfactor/core';
import { toTerminal } from '@secondfactor/qr';

const USAGE = `Usage: npm run demo [-- -- --secret BASE32]
       npm start -w @secondfactor/example-terminal-demo [-- --secret BASE32]

Prints a QR code for a TOTP secret, then checks the codes you type (one per line).
  --secret BASE32   reuse a secret instead of generating a fresh one
  --light           draw for a terminal with a light background
  -h, --help        show this help
Type q (or press Ctrl-D) to quit.`;

const ISSUER = 'secondfactor demo';
const ACCOUNT = 'you@example.com';
const PERIOD = 30;
const DIGITS = 6;

function fail(message: string, exitCode: number): never {
  console.error(`error: ${message}`);
  process.exit(exitCode);
}

interface DemoOptions {
  secret: Uint8Array;
  background: 'dark' | 'light';
}

function readOptions(): DemoOptions {
  let values: { secret?: string | undefined; light?: boolean | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      options: {
        secret: { type: 'string' },
        light: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
  if (values.help === true) {
    console.log(USAGE);
    process.exit(0);
  }
  const background = values.light === true ? 'light' : 'dark';
  if (values.secret === undefined) return { secret: generateSecret(), background };
  let secret: Uint8Array;
  try {
    secret = base32Decode(values.secret);
  } catch (error) {
    // The message names the problem (bad character, bad length) without echoing the secret.
    fail(`--secret: ${isSecondFactorError(error) ? error.message : 'not valid base32'}`, 2);
  }
  if (secret.length < MIN_SECRET_BYTES) {
    // Checklist B2: keys under 128 bits are refused on import; the demo does not offer the legacy opt-in.
    fail(`--secret: at least ${MIN_SECRET_BYTES} bytes (26 base32 characters) are required`, 2);
  }
  return { secret, background };
}

/** Explains the clock drift in steps (RFC 6238 §6): how far the phone's clock seems to be from this computer's. */
function describeDrift(driftSteps: number): string {
  if (driftSteps === 0) return 'drift 0: your phone and this computer agree on the time';
  const steps = Math.abs(driftSteps) === 1 ? 'one step' : `${Math.abs(driftSteps)} steps`;
  return driftSteps < 0
    ? `drift ${driftSteps}: the code is ${steps} old (typed just after it changed, or the phone's clock is behind)`
    : `drift +${driftSteps}: the code is ${steps} early (the phone's clock is ahead)`;
}

/** What the demo answers for one line of input; `lastUsedStep` is the replay guard of RFC 6238 §5.2. */
function answer(secret: Uint8Array, code: string, state: { lastUsedStep: number | undefined }): string {
  const now = Date.now();
  const result = verifyTotp(secret, code, {
    time: now,
    period: PERIOD,
    digits: DIGITS,
    lastUsedStep: state.lastUsedStep,
  });
  if (result.valid) {
    state.lastUsedStep = result.step;
    return `✓ valid: step ${result.step}, ${describeDrift(result.driftSteps)}`;
  }
  switch (result.reason) {
    case 'replayed':
      return `✗ Otp invalid! That code was already used (last accepted step ${state.lastUsedStep}); wait for the next one.`;
    case 'malformed':
      return `✗ Otp invalid! A code is ${DIGITS} digits.`;
    default:
      return (
        '✗ Otp invalid! If you scanned this QR code and typed the current code, sync the phone clock ' +
        `(set date & time automatically). This computer says ${new Date(now).toISOString()}.`
      );
  }
}

async function main(): Promise<void> {
  const { secret, background } = readOptions();
  const uri = buildKeyUri({
    type: 'totp',
    secret,
    account: ACCOUNT,
    issuer: ISSUER,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD,
  });

  console.log('secondfactor terminal demo\n');
  console.log('Scan this QR code with an authenticator app:\n');
  console.log(toTerminal(uri, { background }));
  console.log(
    `\nCan't scan it? Add "${ISSUER}" by hand: time-based, SHA-1, ${DIGITS} digits, ${PERIOD} s, key`,
  );
  console.log(`\n    ${formatSecretForManualEntry(secret)}\n`);
  console.log(
    `To reuse this secret: npm start -w @secondfactor/example-terminal-demo -- --secret ${base32Encode(secret)}`,
  );
  console.log(`Type the ${DIGITS}-digit code your app shows and press Enter; q or Ctrl-D quits.\n`);

  const interactive = process.stdin.isTTY === true;
  const lines = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
  lines.on('SIGINT', () => lines.close());
  lines.setPrompt('code> ');
  if (interactive) lines.prompt();

  const state: { lastUsedStep: number | undefined } = { lastUsedStep: undefined };
  let quit = false;
  for await (const line of lines) {
    const code = line.trim();
    quit = code === 'q' || code === 'quit';
    if (quit) break;
    if (code !== '') {
      // Piped input is not echoed by a terminal; show what is being checked.
      if (!interactive) console.log(`code> ${code}`);
      console.log(answer(secret, code, state));
    }
    if (interactive) lines.prompt();
  }
  lines.close();
  // Ctrl-D and Ctrl-C leave the cursor after the prompt.
  console.log(interactive && !quit ? '\nbye' : 'bye');
}

main().catch((error: unknown) => {
  fail(isSecondFactorError(error) ? `${error.code}: ${error.message}` : String(error), 1);
});
