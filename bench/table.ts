/**
 * @module
 * The one result shape every benchmark module returns, and its rendering as an aligned Markdown table
 * (readable in a terminal, pasteable into `docs/benchmarks.md` unchanged).
 */

/** A benchmark result: a titled table plus free-form notes printed under it. */
export interface Table {
  /** Heading printed above the table. */
  readonly title: string;
  /** Column headers. */
  readonly columns: readonly string[];
  /** Cells, one array per row, in column order. */
  readonly rows: readonly (readonly string[])[];
  /** Lines printed under the table (method details, targets, warnings). */
  readonly notes?: readonly string[] | undefined;
  /** Set when a check failed (disagreeing implementation, missed target, broken peer). */
  readonly failed?: boolean | undefined;
}

/** A benchmark module as `run.ts` lists them: adding a benchmark is one entry. */
export interface BenchModule {
  /** Short name, also usable as a filter on the command line. */
  readonly name: string;
  /** Runs the benchmark and returns its table(s). */
  readonly run: () => Promise<Table | readonly Table[]>;
}

/** Columns whose cells are numbers are right-aligned; everything else left-aligned. */
const NUMERIC = /^[-+]?[\d.,]+\s*(×|%|kB|B|ops\/s)?$/;

/** Renders a table as aligned Markdown (header, separator with alignment, rows, then notes). */
export function renderTable(table: Table): string {
  const widths = table.columns.map((c, i) =>
    Math.max(c.length, ...table.rows.map((r) => (r[i] ?? '').length), 3),
  );
  const numeric = table.columns.map(
    (_, i) =>
      table.rows.length > 0 &&
      table.rows.every((r) => NUMERIC.test(r[i] ?? '') || r[i] === '—' || r[i] === 'FAILED'),
  );
  const pad = (cell: string, i: number): string =>
    numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0);
  const line = (cells: readonly string[]): string =>
    `| ${table.columns.map((_, i) => pad(cells[i] ?? '', i)).join(' | ')} |`;
  const separator = `|${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  const out = [`### ${table.title}`, '', line(table.columns), separator, ...table.rows.map(line)];
  if (table.notes && table.notes.length > 0) out.push('', ...table.notes.map((n) => `- ${n}`));
  return out.join('\n');
}

/** `123456.7` → `"123,457"`: whole operations per second with thousands separators. */
export function formatOps(opsPerSecond: number): string {
  return Math.round(opsPerSecond).toLocaleString('en-US');
}

/** `2.3456` → `"2.35×"`. */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

/**
 * Bytes → kilobytes with two decimals, e.g. `"6.93 kB"`. Decimal (1 kB = 1000 B), the unit bundle-size
 * tools and the issue's reference figures use.
 */
export function formatKb(bytes: number): string {
  return `${(bytes / 1000).toFixed(2)} kB`;
}
