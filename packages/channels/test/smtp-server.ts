/**
 * @module
 * A real SMTP server for the e-mail tests (the `smtp-server` package) on 127.0.0.1, a port the OS picks,
 * no TLS and no authentication, keeping every delivered message raw; and a small MIME reader that takes
 * the headers and the text and HTML parts out of what nodemailer wrote.
 */
import { createServer as createTcpServer } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach } from 'vitest';

/** One message as the server received it. */
export interface Delivered {
  mailFrom: string;
  rcptTo: string[];
  raw: string;
}

export interface LocalSmtp {
  port: number;
  /** Nodemailer settings that reach this server. */
  settings: { host: string; port: number; secure: false; ignoreTLS: true };
  delivered: Delivered[];
  close(): Promise<void>;
}

/**
 * A starter of servers that are all closed after each test of the file that calls it (call it at the top
 * level of a test file).
 */
export function smtpServersPerTest(): (options?: { rejectRcpt?: boolean }) => Promise<LocalSmtp> {
  const servers: LocalSmtp[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (options) => {
    const started = await startSmtpServer(options);
    servers.push(started);
    return started;
  };
}

/** Starts a server; `rejectRcpt` answers `550` to every RCPT TO. */
export async function startSmtpServer(options: { rejectRcpt?: boolean } = {}): Promise<LocalSmtp> {
  const delivered: Delivered[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!options.rejectRcpt) return callback();
      const error = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        delivered.push({
          mailFrom: from === false ? '' : from.address,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('the SMTP server has no TCP port');
  return {
    port: address.port,
    settings: { host: '127.0.0.1', port: address.port, secure: false, ignoreTLS: true },
    delivered,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Why the e-mail tests must skip (no loopback SMTP server can be started), or `undefined`. */
export async function smtpUnavailable(): Promise<string | undefined> {
  try {
    const probe = await startSmtpServer();
    await probe.close();
    return undefined;
  } catch (error) {
    return `cannot start an SMTP server on 127.0.0.1: ${String(error)}`;
  }
}

/** A TCP port nothing listens on (bound once by the OS, then released). */
export async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

// ---- a minimal MIME reader (RFC 2045/2046/2047), enough for what nodemailer writes ----

export interface MimePart {
  headers: Map<string, string>;
  body: string;
  parts: MimePart[];
}

function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_all, kind: string, data: string) =>
    kind.toLowerCase() === 'b'
      ? Buffer.from(data, 'base64').toString('utf8')
      : decodeQuotedPrintable(data.replace(/_/g, ' ')),
  );
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_all, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Parses a message or a part: unfolded, decoded headers (lowercase names), decoded body, sub-parts. */
export function parseMime(raw: string): MimePart {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const rawBody = split < 0 ? '' : raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n(?=[ \t])/g, '').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith('multipart/') && boundary !== undefined) {
    const sections = rawBody.split(`--${boundary}`).slice(1, -1);
    return {
      headers,
      body: '',
      parts: sections.map((s) => parseMime(s.replace(/^\r\n/, '').replace(/\r\n$/, ''))),
    };
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const body =
    encoding === 'base64'
      ? Buffer.from(rawBody.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(rawBody)
        : rawBody;
  return { headers, body, parts: [] };
}

/** The first leaf part whose content type starts with `type`, searching depth-first. */
export function findPart(part: MimePart, type: string): MimePart | undefined {
  if (part.parts.length === 0)
    return (part.headers.get('content-type') ?? '').startsWith(type) ? part : undefined;
  for (const child of part.parts) {
    const found = findPart(child, type);
    if (found !== undefined) return found;
  }
  return undefined;
}
