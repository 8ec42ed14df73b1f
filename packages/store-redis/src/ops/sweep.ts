/**
 * @module
 * `sweepExpired` on Redis: nothing to do, because every record that can lapse expires by itself. Each
 * challenge, pending enrollment, trusted device and attempt counter is written with a TTL that runs out
 * `retentionMs` after the record lapses on the injected clock; the id claim of each (`P{id:…}`) expires
 * with it (on a cluster a lease later), and each per-user index of them carries a TTL at least as long as
 * its longest-lived member (and drops members whose record expired whenever it is written), so neither
 * records nor index entries outlive their TTL. The sweep therefore sends nothing and resolves zeros.
 */

import type { SweepExpiredResult } from '@secondfactor/store';
import type { CheckedSweepExpiredOptions } from '@secondfactor/store/adapter';
import type { OpContext } from './context';

export async function sweepExpired(
  _ctx: OpContext,
  _options: CheckedSweepExpiredOptions,
): Promise<SweepExpiredResult> {
  return { challenges: 0, pendingEnrollments: 0, trustedDevices: 0, failures: 0, more: false };
}
