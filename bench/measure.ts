/**
 * @module
 * A small throughput harness: warm every case up, then take interleaved samples (round-robin, start
 * rotated each round) so that CPU frequency drift or a noisy neighbour hits every implementation alike,
 * and report the median ops/s. Not a statistics package: it exists so the numbers are repeatable enough
 * to compare libraries that differ by 2× or more.
 */

/** One thing to time. `op(i)` is called with a running counter the case may use to vary its input. */
export interface Case {
  readonly name: string;
  readonly op: (i: number) => unknown;
}

/** Result of timing one case. */
export interface Measurement {
  readonly name: string;
  /** Median of the samples, operations per second. */
  readonly opsPerSecond: number;
  /** Median absolute deviation of the samples, as a fraction of the median. */
  readonly spread: number;
  /** Every sample, ops/s, in the order taken. */
  readonly samples: readonly number[];
}

/** How long to run. */
export interface MeasureOptions {
  /** Warm-up time per case before any sample, in ms (JIT tiers up, chunk size is calibrated). */
  readonly warmupMs: number;
  /** Samples per case; the median is reported. */
  readonly samples: number;
  /** Duration of one sample, in ms. */
  readonly sampleMs: number;
}

/** Full run (~2.5 s per case) by default; `BENCH_QUICK=1` for a fast smoke run while editing. */
export const DEFAULT_OPTIONS: MeasureOptions =
  process.env.BENCH_QUICK === '1'
    ? { warmupMs: 100, samples: 3, sampleMs: 60 }
    : { warmupMs: 500, samples: 9, sampleMs: 200 };

// Results land here so the optimiser cannot drop a call whose value is unused.
let sink: unknown;

/** Runs `op` in chunks until `ms` has passed; returns ops/s. The clock is read once per chunk. */
function runFor(op: (i: number) => unknown, chunk: number, ms: number, start: number): number {
  let i = start;
  let ops = 0;
  const t0 = performance.now();
  let t = t0;
  do {
    for (let k = 0; k < chunk; k++) sink = op(i++);
    ops += chunk;
    t = performance.now();
  } while (t - t0 < ms);
  return (ops * 1000) / (t - t0);
}

/** Warm-up doubles the chunk until one chunk takes about 2 ms, so clock reads cost nothing measurable. */
function calibrate(op: (i: number) => unknown, warmupMs: number): number {
  let chunk = 1;
  const end = performance.now() + warmupMs;
  while (performance.now() < end) {
    const t0 = performance.now();
    for (let k = 0; k < chunk; k++) sink = op(k);
    if (performance.now() - t0 < 2 && chunk < 1 << 20) chunk *= 2;
  }
  return chunk;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Times every case with the same schedule and returns one measurement per case, in input order. */
export function measure(cases: readonly Case[], options: MeasureOptions = DEFAULT_OPTIONS): Measurement[] {
  const chunks = cases.map((c) => calibrate(c.op, options.warmupMs));
  const samples: number[][] = cases.map(() => []);
  for (let round = 0; round < options.samples; round++) {
    for (let j = 0; j < cases.length; j++) {
      const idx = (j + round) % cases.length;
      const c = cases[idx]!;
      samples[idx]!.push(runFor(c.op, chunks[idx]!, options.sampleMs, round * 1_000_003));
    }
  }
  if (sink === Symbol.for('never')) console.log('unreachable');
  return cases.map((c, idx) => {
    const s = samples[idx]!;
    const m = median(s);
    return {
      name: c.name,
      opsPerSecond: m,
      spread: median(s.map((x) => Math.abs(x - m))) / m,
      samples: s,
    };
  });
}
