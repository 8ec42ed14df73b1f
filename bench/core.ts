/**
 * @module
 * Engine speed: TOTP verification in its worst case (window ±1, a wrong code, so all three candidates
 * are computed; SHA-1, 20-byte secret) and TOTP generation, for secondfactor (plain and prepared), the
 * peer libraries and a bare `node:crypto` baseline, in one process with the same inputs.
 */
import { checkAgreement } from './agreement';
import { checkReference, findWrongCode, MASK } from './fixtures';
import type { Implementation } from './implementation';
import { type Case, DEFAULT_OPTIONS, type Measurement, measure } from './measure';
import { ours } from './ours';
import { peers } from './peers';
import { formatOps, formatRatio, type Table } from './table';

/** Issue 2: plain `verifyTotp` must reach at least this multiple of the fastest peer. */
const VERIFY_TARGET = 2;

function speedTable(
  title: string,
  impls: readonly Implementation[],
  results: ReadonlyMap<string, Measurement>,
  failed: ReadonlyMap<string, string[]>,
): { table: Table; fastestPeer: number } {
  const peerOps = impls
    .filter((impl) => impl.kind === 'peer')
    .map((impl) => results.get(impl.name)?.opsPerSecond ?? 0);
  const fastestPeer = Math.max(0, ...peerOps);
  const rows = impls.map((impl) => {
    const m = results.get(impl.name);
    const label = impl.name;
    if (!m) return [label, failed.has(impl.name) ? 'DISAGREES' : '—', '—', '—'];
    return [
      label,
      formatOps(m.opsPerSecond),
      fastestPeer > 0 ? formatRatio(m.opsPerSecond / fastestPeer) : '—',
      `${(m.spread * 100).toFixed(1)}%`,
    ];
  });
  return {
    table: {
      title,
      columns: ['implementation', 'ops/s (median)', 'vs fastest peer', 'spread (MAD)'],
      rows,
      failed: failed.size > 0,
    },
    fastestPeer,
  };
}

function timed(
  impls: readonly Implementation[],
  op: (impl: Implementation) => Case['op'],
): Map<string, Measurement> {
  const cases = impls.map((impl) => ({ name: impl.name, op: op(impl) }));
  return new Map(measure(cases).map((m) => [m.name, m]));
}

/** Runs the agreement checks, then times verification and generation; returns both tables. */
export async function coreBench(): Promise<Table[]> {
  checkReference();
  const all = [...ours(), ...peers()];
  const wrong = findWrongCode();
  const problems = checkAgreement(all, wrong);
  const failed = new Map([...problems].filter(([, p]) => p.length > 0));
  for (const [name, p] of failed) {
    console.error(`\n!!!!!!!! AGREEMENT FAILURE: ${name} !!!!!!!!\n  ${p.join('\n  ')}\n  (not timed)\n`);
  }
  const ok = all.filter((impl) => !failed.has(impl.name));

  const verifyResults = timed(ok, (impl) => (i) => impl.verify(wrong, i & MASK));
  const verify = speedTable(
    'TOTP verify: window ±1, wrong code (3 HMAC-SHA-1 each), 20-byte secret',
    all,
    verifyResults,
    failed,
  );
  const generate = speedTable(
    'TOTP generate: SHA-1, 6 digits, 20-byte secret',
    all,
    timed(ok, (impl) => (i) => impl.generate(i & MASK)),
    failed,
  );

  const primary = all.find((impl) => impl.primary);
  const primaryOps = primary ? verifyResults.get(primary.name)?.opsPerSecond : undefined;
  const ratio =
    primaryOps !== undefined && verify.fastestPeer > 0 ? primaryOps / verify.fastestPeer : Number.NaN;
  const met = ratio >= VERIFY_TARGET;

  const opts = DEFAULT_OPTIONS;
  const method =
    `method: all rows in one process, same secret and instants (64 different time steps, cycled), ` +
    `${opts.warmupMs} ms warm-up each, then ${opts.samples} interleaved samples of ${opts.sampleMs} ms; ` +
    `median ops/s; spread = median absolute deviation of the samples.`;
  const notes = [
    `TARGET plain verifyTotp ≥ ${VERIFY_TARGET}× fastest peer: ${met ? 'MET' : 'NOT MET'} ` +
      `(${Number.isNaN(ratio) ? 'n/a' : `${ratio.toFixed(3)}×`})`,
    method,
    `wrong code ${wrong} (matches no candidate step of any instant); agreement checked first: every row gives ` +
      'the reference code at all 64 instants, accepts steps −1…+1, refuses ±2, and (where hookable) computes ' +
      'exactly 3 HMACs for the wrong code.',
    'the baseline row is not a peer and is left out of "fastest peer".',
    ...all.flatMap((impl) => impl.notes ?? []),
    ...[...failed].map(([name, p]) => `DISAGREES, not timed: ${name}: ${p.join('; ')}`),
  ];
  return [
    { ...verify.table, notes, failed: verify.table.failed || !met },
    {
      ...generate.table,
      notes: ['same method and inputs as the verify table; one HMAC-SHA-1 per call.'],
    },
  ];
}
