/**
 * @module
 * The machine a run happened on, printed first and kept with every table in `docs/benchmarks.md`:
 * numbers from different CPUs or Node versions are not comparable.
 */
import os from 'node:os';
import type { Table } from './table';

/** CPU model, core count, Node and V8 versions, OS, load and date as a two-column table. */
export function machineTable(): Table {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown';
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
  return {
    title: 'Machine',
    columns: ['property', 'value'],
    rows: [
      ['CPU', model],
      ['logical cores', String(cpus.length)],
      ['memory', `${Math.round(os.totalmem() / 2 ** 30)} GiB`],
      ['OS', `${os.type()} ${os.release()} (${os.arch()})`],
      ['Node.js', process.version],
      ['V8', process.versions.v8],
      ['OpenSSL', process.versions.openssl ?? 'unknown'],
      ['load average (1/5/15 min)', load],
      ['date', new Date().toISOString()],
    ],
  };
}
