/**
 * @module
 * A bounded per-process cache of sealed credentials, for the warm path of a login: the service checks a
 * code against the cached copy and lets the store decide, in the step that completes the login, that the
 * copy is still current (`ifSecret`), not replayed and not locked. The cache holds only what the store
 * holds (ciphertext, never a secret in clear), so a stale entry costs a retry, never a wrong answer.
 */
import type { CredentialRecord } from '@secondfactor/store';

/** Least-recently-used map of sealed credentials by user and credential id. @internal */
export class CredentialCache {
  readonly #limit: number;
  readonly #entries = new Map<string, CredentialRecord>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  static #key(userId: string, credentialId: string): string {
    // A NUL cannot occur in a store id, so no two pairs share a key.
    return `${userId}\u0000${credentialId}`;
  }

  get(userId: string, credentialId: string): CredentialRecord | undefined {
    const key = CredentialCache.#key(userId, credentialId);
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  set(credential: CredentialRecord): void {
    if (this.#limit === 0) return;
    const key = CredentialCache.#key(credential.userId, credential.id);
    this.#entries.delete(key);
    this.#entries.set(key, credential);
    while (this.#entries.size > this.#limit) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  delete(userId: string, credentialId: string): void {
    this.#entries.delete(CredentialCache.#key(userId, credentialId));
  }

  /** Forgets every credential of a user (reset, switching off). */
  deleteUser(userId: string): void {
    const prefix = `${userId}\u0000`;
    for (const key of [...this.#entries.keys()]) if (key.startsWith(prefix)) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
