/**
 * @module
 * The shared core of a {@link MemoryStore}: its state, the lazy load of the snapshot file and the
 * coalesced writes after each change. The primitives in `ops/*.ts` run on it.
 */
import { SecondFactorError } from '@secondfactor/core';
import { deserializeState, emptyState, type MemoryState, serializeState } from './state';

/** Throws the `conflict` error of an insert whose id exists. */
export const conflict = (name: string): never => {
  throw new SecondFactorError('conflict', `${name} already exists`);
};

/** Binary (code point) order for ASCII ids, the order `COLLATE "C"` gives in SQL. */
export const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** State plus persistence. Primitives check and write `state` without an `await` in between. */
export class MemoryCore {
  state: MemoryState = emptyState();
  private loading: Promise<void> | undefined;
  private queuedWrite: Promise<void> | undefined;
  private writes: Promise<void> = Promise.resolve();

  constructor(readonly snapshotFile: string | undefined) {}

  /** Resolves once the snapshot (if any) is loaded; every primitive awaits it before touching state. */
  ready(): Promise<void> {
    if (this.snapshotFile === undefined) return Promise.resolve();
    const file = this.snapshotFile;
    this.loading ??= (async () => {
      const { readSnapshotFile } = await import('./snapshot-file');
      const text = await readSnapshotFile(file);
      if (text !== null) this.state = deserializeState(text);
    })();
    return this.loading;
  }

  /**
   * Writes the snapshot after a change. Every mutation awaits a write that starts after it, so a
   * resolved call is on disk; calls that land while a write is queued share it, because it serialises
   * the state only when it starts.
   */
  persist(): Promise<void> {
    if (this.snapshotFile === undefined) return Promise.resolve();
    const file = this.snapshotFile;
    this.queuedWrite ??= this.writes.then(async () => {
      this.queuedWrite = undefined;
      const { writeSnapshotFile } = await import('./snapshot-file');
      await writeSnapshotFile(file, serializeState(this.state));
    });
    const write = this.queuedWrite;
    this.writes = write.catch(() => undefined);
    return write.catch((cause: unknown) => {
      throw new SecondFactorError('store_unavailable', 'snapshotFile could not be written', { cause });
    });
  }

  /** Resolves after the last queued write. */
  flush(): Promise<void> {
    return this.writes;
  }
}
