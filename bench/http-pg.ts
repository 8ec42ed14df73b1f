/**
 * @module
 * The PostgreSQL side of the HTTP benches: a `pg` Pool whose every statement, on any of its connections,
 * is counted (and its text kept while a log is open), in a fresh schema of its own (the connections'
 * `search_path`), dropped on close. Both sides of the verify bench go through it, so their round trips
 * are counted the same way: `pool.query` and a checked-out client's `query` (Kysely's) alike.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const CONNECT_TIMEOUT_MS = 2_000;
/** Connections per server, as in the storage bench. */
const POOL_SIZE = 16;

/** A counting pool on `DATABASE_URL`. */
export interface CountingPool {
  readonly pool: pg.Pool;
  /** The pool's own schema, first on every connection's `search_path`. */
  readonly schema: string;
  /** Statements sent so far, by every connection of the pool. */
  statements(): number;
  /** Keeps the text of every statement from now on. */
  startLog(): void;
  /** Stops keeping statements and returns those kept since `startLog`. */
  stopLog(): string[];
  /**
   * CPU time the server processes of the pool's connections have used so far, µs, or `null` when the
   * server's processes cannot be read (a server on another machine).
   */
  serverCpu(): number | null;
  /** Drops the schema and ends the pool. */
  close(): Promise<void>;
}

type Query = (...args: unknown[]) => unknown;

const textOf = (first: unknown): string =>
  typeof first === 'string'
    ? first
    : typeof first === 'object' && first !== null && typeof (first as { text?: unknown }).text === 'string'
      ? (first as { text: string }).text
      : String(first);

/** A counting pool in a new schema named `<prefix>_<random>`; or why there is none. */
export async function openCountingPool(prefix: string): Promise<CountingPool | string> {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  const pool = new pg.Pool({
    connectionString: DATABASE_URL,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Connections stay open, so that the server processes whose CPU time is read stay the same.
    idleTimeoutMillis: 0,
    options: `-c search_path=${schema}`,
  });
  pool.on('error', () => undefined);
  let statements = 0;
  let log: string[] | null = null;
  const serverPids: number[] = [];
  // A new connection is wrapped before the pool hands it out, so no statement passes uncounted.
  pool.on('connect', (client) => {
    serverPids.push((client as unknown as { processID: number }).processID);
    const query = client.query.bind(client) as Query;
    (client as unknown as { query: Query }).query = (...args) => {
      statements += 1;
      log?.push(textOf(args[0]));
      return query(...args);
    };
  });
  try {
    await pool.query(`CREATE SCHEMA "${schema}"`);
  } catch (error) {
    await pool.end().catch(() => undefined);
    return `no PostgreSQL server answers at ${DATABASE_URL} (${(error as Error).message})`;
  }
  return {
    pool,
    schema,
    statements: () => statements,
    startLog: () => {
      log = [];
    },
    stopLog: () => {
      const kept = log ?? [];
      log = null;
      return kept;
    },
    serverCpu: () => {
      try {
        // The first field of schedstat is the time the process ran on a CPU, in ns (Linux).
        const ns = serverPids.map((pid) =>
          Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]),
        );
        return ns.reduce((a, b) => a + b, 0) / 1000;
      } catch {
        return null;
      }
    },
    close: async () => {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
}

/**
 * One statement in a few words, for the notes: its verb and the tables it reads and writes, e.g.
 * `WITH: read challenges; write credentials, audit_events` (schema names and quotes left out).
 */
export function describeStatement(sql: string): string {
  const text = sql.replace(/\s+/g, ' ').trim();
  const verb = /^\w+/.exec(text)?.[0]?.toUpperCase() ?? '?';
  const reads = new Set<string>();
  const writes = new Set<string>();
  // The names a WITH clause gives its parts are not tables.
  const named = new Set(
    [...text.matchAll(/(?:WITH|,)\s+"?(\w+)"?\s+AS\s+(?:NOT\s+)?(?:MATERIALIZED\s+)?\(/gi)].map((m) => m[1]!),
  );
  const table = /\b(INSERT INTO|UPDATE|DELETE FROM|FROM|JOIN)\s+((?:"?\w+"?\.)?"?(\w+)"?)/gi;
  for (const match of text.matchAll(table)) {
    const name = match[3]!;
    if (named.has(name) || /^(select|lateral|unnest|jsonb?_\w+)$/i.test(name)) continue;
    if (/^(FROM|JOIN)$/i.test(match[1]!)) reads.add(name);
    else writes.add(name);
  }
  const parts = [
    reads.size > 0 ? `read ${[...reads].join(', ')}` : '',
    writes.size > 0 ? `write ${[...writes].join(', ')}` : '',
  ].filter((part) => part !== '');
  return parts.length === 0 ? verb : `${verb}: ${parts.join('; ')}`;
}
