/**
 * @module
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1, a port the OS picks, that keeps every
 * message it receives raw; it accepts anonymous mail and the login `otp` / `partner-secret-1` (a
 * partner's own server). And the code a code e-mail carries.
 */
import { SMTPServer } from 'smtp-server';

export interface LocalSmtpServer {
  port: number;
  received: string[];
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<LocalSmtpServer> {
  const received: string[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      // The partner's account: only its password opens the server.
      if (auth.username === 'otp' && auth.password === 'partner-secret-1')
        return callback(null, { user: 'otp' });
      return callback(new Error('bad credentials'));
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return {
    port: address.port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The code of a code e-mail: its line of digits only. */
export function codeOf(message: string | undefined): string {
  const code = /^([0-9]{6,8})\r?$/m.exec(message ?? '')?.[1];
  if (code === undefined) throw new Error('no code in the message');
  return code;
}
