/**
 * @module
 * autocannon as the HTTP benches use it: a fixed number of connections for a fixed time or a fixed
 * number of requests, each request optionally built just before it is sent (a fresh login per request).
 * Every response's status and latency (ms, to the microsecond, not autocannon's whole-millisecond
 * histogram) is kept, and the rate is responses over the time from the start to the last response.
 */
import { createRequire } from 'node:module';

/** One request as autocannon builds it. */
interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | undefined;
}

interface AutocannonOptions {
  url: string;
  connections: number;
  duration?: number | undefined;
  amount?: number | undefined;
  timeout: number;
  requests: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body?: string | undefined;
    setupRequest?: ((request: RawRequest) => RawRequest) | undefined;
  }[];
}

interface AutocannonInstance extends PromiseLike<{ errors: number; timeouts: number }> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}

// autocannon ships no types; this is the part of its documented API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as (
  options: AutocannonOptions,
) => AutocannonInstance;

/** What one run sends: the path and the fixed parts, or a builder called once per request. */
export interface LoadOptions {
  readonly url: string;
  readonly path: string;
  readonly method?: 'GET' | 'POST' | undefined;
  readonly headers?: Record<string, string> | undefined;
  readonly connections: number;
  /** Run for this long … */
  readonly seconds?: number | undefined;
  /** … or until this many responses came back. */
  readonly amount?: number | undefined;
  /** Headers and body of each request, called just before it is sent. */
  readonly build?: (() => { headers: Record<string, string>; body?: string | undefined }) | undefined;
}

/** What one run measured. */
export interface LoadResult {
  readonly responses: number;
  readonly seconds: number;
  /** Responses per second of wall time. */
  readonly perSecond: number;
  /** Latency of every response, ms, ascending. */
  readonly latencies: number[];
  /** Responses by status code. */
  readonly statuses: Record<number, number>;
  /** Connection errors and timeouts. */
  readonly errors: number;
}

/** Runs autocannon once. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const { build } = options;
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const started = performance.now();
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    // autocannon reads an `amount` or a `duration` that is present but undefined as given.
    ...(options.amount === undefined ? { duration: options.seconds ?? 1 } : { amount: options.amount }),
    timeout: 30,
    requests: [
      {
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers ?? {},
        // Only when given: autocannon calls a `setupRequest` key even when it holds undefined.
        ...(build === undefined
          ? {}
          : {
              setupRequest: (request: RawRequest): RawRequest => {
                const next = build();
                return { ...request, headers: { ...request.headers, ...next.headers }, body: next.body };
              },
            }),
      },
    ],
  });
  let last = started;
  instance.on('response', (_client, status, _bytes, ms) => {
    last = performance.now();
    latencies.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const result = await instance;
  // autocannon notices the end of a run on its next whole-second tick: the run ends at its last response.
  const seconds = (last - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    responses: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    latencies,
    statuses,
    errors: result.errors + result.timeouts,
  };
}

/** The `p`-th percentile of ascending `sorted` (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Latencies merged from several runs, ascending. */
export function merged(results: readonly LoadResult[]): number[] {
  return results.flatMap((r) => r.latencies).sort((a, b) => a - b);
}

/** `"200 × 1,000"`-style summary of the statuses, for notes and errors. */
export function statusList(statuses: Record<number, number>): string {
  return Object.entries(statuses)
    .map(([status, n]) => `${status} × ${n}`)
    .join(', ');
}

/** Latency in ms for a table cell: three decimals under 1 ms, two above. */
export const ms = (value: number): string => (value < 0.9995 ? value.toFixed(3) : value.toFixed(2));
