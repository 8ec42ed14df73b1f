import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { promisify } from 'node:util';
import { type Algorithm, hotp, totp, verifyTotp } from '@secondfactor/core';
import { describe, expect, it } from 'vitest';

// Cross-implementation check against OATH Toolkit's `oathtool` (Debian package `oathtool`).
const run = promisify(execFile);

function oathtoolVersion(): string | undefined {
  try {
    return execFileSync('oathtool', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    return undefined;
  }
}

const version = oathtoolVersion();
if (version === undefined) {
  console.warn(
    'oathtool.test.ts skipped: `oathtool` is not installed (Debian/Ubuntu: apt-get install oathtool)',
  );
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/**
 * Runs many `oathtool` invocations through a few `sh` processes (a shell starts a child far faster
 * than Node does) and returns each invocation's output lines. Arguments are digits, hex and fixed
 * option names only, so single quotes are enough.
 */
async function oathtoolBatch(invocations: string[][], shells = 4): Promise<string[][]> {
  const MARK = '--end--';
  const chunk = Math.ceil(invocations.length / shells);
  const runs = Array.from({ length: shells }, (_, s) => invocations.slice(s * chunk, (s + 1) * chunk)).map(
    (part) =>
      new Promise<string[][]>((resolve, reject) => {
        const child = spawn('sh', ['-s'], { stdio: ['pipe', 'pipe', 'inherit'] });
        let stdout = '';
        child.stdout.setEncoding('utf8').on('data', (data: string) => {
          stdout += data;
        });
        child.on('error', reject);
        child.on('close', (status) => {
          if (status !== 0) return reject(new Error(`sh exited with ${status}`));
          const outputs = stdout
            .split(`${MARK}\n`)
            .slice(0, -1)
            .map((block) => block.trim().split('\n'));
          resolve(outputs);
        });
        const script = part.map((args) => `oathtool ${args.map((a) => `'${a}'`).join(' ')}; echo ${MARK}\n`);
        child.stdin.end(`set -e\n${script.join('')}`);
      }),
  );
  return (await Promise.all(runs)).flat();
}

interface TotpCase {
  secret: Uint8Array;
  algorithm: Algorithm;
  digits: number;
  period: number;
  epoch: number;
  timeMs: number;
}

const WINDOW = 2; // oathtool -w 2 prints the codes of steps T, T+1 and T+2

describe.skipIf(version === undefined)(`cross-implementation: ${version ?? 'oathtool'}`, () => {
  it('oathtool -w prints the codes of steps T … T+w (checked on RFC 6238 App. B)', async () => {
    const { stdout } = await run('oathtool', [
      '--totp',
      '-d',
      '8',
      '-N',
      '@59',
      '-w',
      '1',
      hex(new TextEncoder().encode('12345678901234567890')),
    ]);
    expect(stdout.trim().split('\n')).toEqual(['94287082', '37359152']);
  });

  it('TOTP codes equal oathtool for 500 random secrets × SHA1/SHA256/SHA512 × 6/7/8 digits × random times', async () => {
    const cases: TotpCase[] = [];
    for (let i = 0; i < 500; i++) {
      const secret = new Uint8Array(randomBytes(i % 5 === 0 ? 20 : randomInt(16, 65)));
      for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
        for (const digits of [6, 7, 8]) {
          const period = [30, 30, 60, 15][randomInt(4)]!;
          const epoch = i % 7 === 0 ? randomInt(0, 1_000_000) : 0;
          // seconds up to 2^34 (year 2514): past 2038 and 2106 as often as not
          const seconds = epoch + randomInt(0, 2 ** 34 - epoch);
          cases.push({ secret, algorithm, digits, period, epoch, timeMs: seconds * 1000 + randomInt(1000) });
        }
      }
    }
    expect(cases.length).toBe(4500);
    const outputs = await oathtoolBatch(
      cases.map((c) => [
        `--totp=${c.algorithm.toLowerCase()}`,
        '-d',
        String(c.digits),
        '-s',
        `${c.period}s`,
        '-S',
        `@${c.epoch}`,
        '-N',
        `@${Math.floor(c.timeMs / 1000)}`,
        '-w',
        String(WINDOW),
        hex(c.secret),
      ]),
    );
    expect(outputs).toHaveLength(cases.length);
    let compared = 0;
    cases.forEach((c, index) => {
      const lines = outputs[index]!;
      const label = `${c.algorithm} d=${c.digits} X=${c.period} T0=${c.epoch} t=${c.timeMs} key=${hex(c.secret)}`;
      expect(lines, label).toHaveLength(WINDOW + 1);
      const { algorithm, digits, period, epoch } = c;
      lines.forEach((expected, offset) => {
        const time = c.timeMs + offset * period * 1000;
        expect(totp(c.secret, { time, algorithm, digits, period, epoch }), `${label} +${offset}`).toBe(
          expected,
        );
        compared++;
      });
      // the next step's code verifies with driftSteps 1 under the default window
      expect(
        verifyTotp(c.secret, lines[1]!, { time: c.timeMs, algorithm, digits, period, epoch }),
        label,
      ).toMatchObject({
        valid: true,
        driftSteps: 1,
      });
    });
    expect(compared).toBe(4500 * (WINDOW + 1));
  });

  it('A6: HOTP at counters 2^31, 2^32, 2^53 - 1 and bigints up to 2^64 - 1 equals oathtool', async () => {
    const secret = new Uint8Array(randomBytes(20));
    const counters = [
      2n ** 31n - 1n,
      2n ** 31n,
      2n ** 32n - 1n,
      2n ** 32n,
      2n ** 53n - 1n,
      2n ** 53n,
      2n ** 63n,
      2n ** 64n - 2n,
      2n ** 64n - 1n,
      ...Array.from({ length: 40 }, () => BigInt(`0x${hex(new Uint8Array(randomBytes(8)))}`)),
    ];
    const outputs = await oathtoolBatch(
      counters.map((counter) => ['--hotp', '-d', '8', '-c', counter.toString(), hex(secret)]),
      1,
    );
    expect(outputs).toHaveLength(counters.length);
    counters.forEach((counter, index) => {
      expect(hotp(secret, counter, { digits: 8 }), `counter ${counter}`).toBe(outputs[index]![0]);
      if (counter <= BigInt(Number.MAX_SAFE_INTEGER)) {
        expect(hotp(secret, Number(counter), { digits: 8 })).toBe(outputs[index]![0]);
      }
    });
  });
});
