/**
 * @module
 * `npm run bench` entry: prints the machine, then runs every benchmark module in order and prints its
 * table(s) as Markdown. Adding a benchmark is one line in {@link MODULES}.
 *
 * Usage: `node --import tsx bench/run.ts [name …] [--update-docs]`
 * - names filter the modules (e.g. `core bundle`);
 * - `--update-docs` also writes the printed tables into `docs/benchmarks.md`, between its
 *   `<!-- bench:start -->` and `<!-- bench:end -->` markers.
 * Exits non-zero when a module throws, an implementation disagrees, or a target is missed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { machineTable } from './machine';
import { type BenchModule, renderTable, type Table } from './table';

/**
 * Every benchmark, in the order it runs. Each is loaded only when it runs, so one that cannot load (say,
 * a package not built) is reported as failed and the others still run.
 */
const MODULES: readonly BenchModule[] = [
  { name: 'core', run: () => import('./core').then((m) => m.coreBench()) },
  { name: 'bundle', run: () => import('./bundle').then((m) => m.bundleBench()) },
  { name: 'store', run: () => import('./store').then((m) => m.storeBench()) },
  { name: 'service', run: () => import('./service').then((m) => m.serviceBench()) },
  { name: 'store-size', run: () => import('./store-size').then((m) => m.storeSizeBench()) },
  { name: 'http-guard', run: () => import('./http-guard').then((m) => m.httpGuardBench()) },
  { name: 'http-verify', run: () => import('./http-verify').then((m) => m.httpVerifyBench()) },
];

const DOCS = new URL('../docs/benchmarks.md', import.meta.url);
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

function updateDocs(markdown: string): void {
  const text = readFileSync(DOCS, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) throw new Error(`docs/benchmarks.md lacks the ${START} … ${END} markers`);
  writeFileSync(DOCS, `${text.slice(0, from + START.length)}\n\n${markdown}\n\n${text.slice(to)}`);
  console.log('\nwrote the tables into docs/benchmarks.md');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !MODULES.some((m) => m.name === n));
  if (unknown.length > 0) {
    throw new Error(
      `unknown benchmark ${unknown.join(', ')}; known: ${MODULES.map((m) => m.name).join(', ')}`,
    );
  }
  const selected = names.length > 0 ? MODULES.filter((m) => names.includes(m.name)) : MODULES;

  const sections: string[] = [renderTable(machineTable())];
  console.log(`${sections[0]}\n`);
  let failed = false;
  for (const module of selected) {
    const started = performance.now();
    console.error(`running ${module.name} …`);
    let tables: readonly Table[];
    try {
      const result = await module.run();
      tables = Array.isArray(result) ? result : [result as Table];
    } catch (error) {
      failed = true;
      console.error(`\n!!!!!!!! BENCHMARK ${module.name} FAILED !!!!!!!!`);
      console.error(error);
      continue;
    }
    for (const table of tables) {
      failed ||= table.failed === true;
      const text = renderTable(table);
      sections.push(text);
      console.log(`${text}\n`);
    }
    console.error(`${module.name} took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  if (args.includes('--update-docs')) updateDocs(sections.join('\n\n'));
  if (failed) {
    console.error('\nsome check or target FAILED (see above)');
    process.exitCode = 1;
  }
}

await main();
