/**
 * @module
 * A minimal `express-session` store in PostgreSQL for the verify bench, so that one variant of our
 * endpoint keeps its host's sessions in the database as better-auth keeps its own: one statement per
 * read, write and delete, on the bench's counting pool, counted apart from the 2FA store's.
 */
import session from 'express-session';
import type pg from 'pg';

/** Lifetime of a row whose cookie has no expiry (express-session's default cookie is a session cookie). */
const DEFAULT_TTL_MS = 24 * 3600_000;

type Done = (error?: unknown) => void;

/** Sessions in `<schema>.http_sessions`; `statements` counts what it sent. */
export class PgSessionStore extends session.Store {
  statements = 0;
  private readonly table: string;

  private constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    super();
    this.table = `"${schema}".http_sessions`;
  }

  /** Creates the table in `schema` and returns the store. */
  static async create(pool: pg.Pool, schema: string): Promise<PgSessionStore> {
    const store = new PgSessionStore(pool, schema);
    await pool.query(
      `CREATE TABLE ${store.table} (sid text PRIMARY KEY, sess json NOT NULL, expires_at timestamptz NOT NULL)`,
    );
    return store;
  }

  private run(text: string, values: unknown[]): Promise<pg.QueryResult> {
    this.statements += 1;
    return this.pool.query(text, values);
  }

  override get(sid: string, callback: (error: unknown, data?: session.SessionData | null) => void): void {
    this.run(`SELECT sess FROM ${this.table} WHERE sid = $1 AND expires_at > now()`, [sid]).then(
      (result) => callback(null, (result.rows[0]?.sess as session.SessionData | undefined) ?? null),
      callback,
    );
  }

  override set(sid: string, data: session.SessionData, callback?: Done): void {
    const expires = data.cookie.expires
      ? new Date(data.cookie.expires)
      : new Date(Date.now() + DEFAULT_TTL_MS);
    this.run(
      `INSERT INTO ${this.table} (sid, sess, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (sid) DO UPDATE SET sess = EXCLUDED.sess, expires_at = EXCLUDED.expires_at`,
      [sid, JSON.stringify(data), expires],
    ).then(
      () => callback?.(),
      (error: unknown) => callback?.(error),
    );
  }

  override destroy(sid: string, callback?: Done): void {
    this.run(`DELETE FROM ${this.table} WHERE sid = $1`, [sid]).then(
      () => callback?.(),
      (error: unknown) => callback?.(error),
    );
  }
}
