/**
 * @module
 * Node-side file access of the memory store's optional snapshot. Loaded with a dynamic import only
 * when a `snapshotFile` is configured, so the rest of the package runs where there is no file system.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';

/** The file's text, or `null` when it does not exist yet. */
export async function readSnapshotFile(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Replaces the file in one step: the text goes to a temporary file beside it, which is then renamed
 * over the old one (rename within a directory is atomic on POSIX), so a crash mid-write leaves either
 * the old or the new snapshot, never half of one. Mode 0600: ciphertexts and digests are still sensitive.
 */
export async function writeSnapshotFile(path: string, text: string): Promise<void> {
  const temporary = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await writeFile(temporary, text, { encoding: 'utf8', mode: 0o600 });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
