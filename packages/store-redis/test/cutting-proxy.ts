/**
 * @module
 * A TCP proxy on a loopback port between one Redis client and the server, for fault tests that must not
 * depend on timing. It counts RESP commands on the way in and replies on the way out, and on request
 * cuts the connection at a chosen command:
 *
 * - the next `commands` commands reach the server whole, then the first bytes of the one after them
 *   (a command the server must never run), then nothing more;
 * - once the server has answered every command it was sent, only the first `replies` of those answers
 *   reach the client, and both sockets are destroyed.
 *
 * So commands `[0, replies)` are applied and answered, `[replies, commands)` are applied with their
 * answers lost, and every later one never reaches the server, whatever the load on the machine.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

/** Where to cut, counted from the moment `cutAfter` is called. */
export interface CutPlan {
  /** Commands forwarded whole. */
  commands: number;
  /** Of their answers, how many reach the client (at most `commands`). */
  replies: number;
  /**
   * Bytes of the next command forwarded before the cut (at most its length less one). When above 0, the
   * cut waits until the client sends that command.
   */
  partialBytes: number;
}

/** What the proxy did at the cut. */
export interface CutReport {
  /** Commands the server received whole, counted from `cutAfter`. */
  commandsForwarded: number;
  /** Answers the client received, counted from `cutAfter`. */
  repliesForwarded: number;
  /** Bytes of the command that was cut in half (0 when none followed). */
  partialBytes: number;
}

export interface CuttingProxy {
  /** `redis://127.0.0.1:<port>` of the proxy. */
  url: string;
  /** Arms the cut for the one connection through the proxy; resolves when both sockets are gone. */
  cutAfter(plan: CutPlan): Promise<CutReport>;
  close(): Promise<void>;
}

const CRLF = 0x0d;

/** End of the `\r\n`-terminated line starting at `start` (index after `\n`), or -1 if incomplete. */
function lineEnd(buffer: Buffer, start: number): number {
  const at = buffer.indexOf(CRLF, start);
  return at === -1 || at + 1 >= buffer.length ? -1 : at + 2;
}

/**
 * End of the one RESP value (RESP2 or RESP3) that starts at `start`, or -1 while it is incomplete.
 * Attributes (`|`) are metadata of the value that follows and are read with it.
 */
export function respValueEnd(buffer: Buffer, start: number): number {
  if (start >= buffer.length) return -1;
  const type = String.fromCharCode(buffer[start]!);
  const headerEnd = lineEnd(buffer, start);
  if (headerEnd === -1) return -1;
  const header = buffer.toString('latin1', start + 1, headerEnd - 2);
  switch (type) {
    case '+':
    case '-':
    case ':':
    case '_':
    case ',':
    case '#':
    case '(':
      return headerEnd;
    case '$':
    case '=':
    case '!': {
      const length = Number(header);
      if (length < 0) return headerEnd; // null bulk string
      const end = headerEnd + length + 2;
      return end <= buffer.length ? end : -1;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      const count = Number(header);
      const elements = count < 0 ? 0 : type === '%' || type === '|' ? count * 2 : count;
      let at = headerEnd;
      for (let i = 0; i < elements; i++) {
        at = respValueEnd(buffer, at);
        if (at === -1) return -1;
      }
      return type === '|' ? respValueEnd(buffer, at) : at;
    }
    default:
      throw new Error(`cutting proxy: not a RESP value (type byte ${JSON.stringify(type)})`);
  }
}

/** Splits the complete RESP values off the front of `buffer`. */
function takeValues(buffer: Buffer): { values: Buffer[]; rest: Buffer } {
  const values: Buffer[] = [];
  let at = 0;
  for (let end = respValueEnd(buffer, at); end !== -1; end = respValueEnd(buffer, at)) {
    values.push(buffer.subarray(at, end));
    at = end;
  }
  return { values, rest: buffer.subarray(at) };
}

/** Starts a proxy to `target` (a `redis://host:port` URL) on an ephemeral loopback port. */
export async function startCuttingProxy(target: string): Promise<CuttingProxy> {
  const { hostname, port } = new URL(target);
  let connection: { client: Socket; server: Socket } | undefined;
  let arm: ((plan: CutPlan) => Promise<CutReport>) | undefined;

  const proxy: Server = createServer((client) => {
    if (connection !== undefined) {
      client.destroy(new Error('cutting proxy: one connection at a time'));
      return;
    }
    const server = connect({ host: hostname, port: Number(port) });
    connection = { client, server };
    client.setNoDelay(true);
    server.setNoDelay(true);

    let inbound: Buffer = Buffer.alloc(0);
    let outbound: Buffer = Buffer.alloc(0);
    let sent = 0; // commands forwarded whole since the connection opened
    let answered = 0; // answers received from the server
    let delivered = 0; // answers forwarded to the client
    let plan: (CutPlan & { sentAtArm: number; deliveredAtArm: number; partial: number }) | undefined;
    let done: ((report: CutReport) => void) | undefined;
    let stopped = false; // no byte from the client reaches the server any more

    const finish = (): void => {
      if (plan === undefined || done === undefined) return;
      if (sent - plan.sentAtArm < plan.commands || answered < sent) return;
      // A plan that cuts a command in half waits for that command to arrive.
      if (plan.partialBytes > 0 && !stopped) return;
      const report: CutReport = {
        commandsForwarded: sent - plan.sentAtArm,
        repliesForwarded: delivered - plan.deliveredAtArm,
        partialBytes: plan.partial,
      };
      const resolve = done;
      done = undefined;
      let open = 2;
      const closed = (): void => {
        open -= 1;
        if (open === 0) resolve(report);
      };
      client.once('close', closed);
      server.once('close', closed);
      client.destroy();
      server.destroy();
    };

    client.on('data', (chunk: Buffer) => {
      if (stopped) return;
      inbound = Buffer.concat([inbound, chunk]);
      const { values, rest } = takeValues(inbound);
      inbound = rest;
      for (const command of values) {
        if (plan !== undefined && sent - plan.sentAtArm >= plan.commands) {
          // The cut: part of this command, which the server keeps unparsed until the socket closes.
          plan.partial = Math.min(plan.partialBytes, command.length - 1);
          server.write(command.subarray(0, plan.partial));
          stopped = true;
          break;
        }
        server.write(command);
        sent += 1;
      }
      finish();
    });
    server.on('data', (chunk: Buffer) => {
      outbound = Buffer.concat([outbound, chunk]);
      const { values, rest } = takeValues(outbound);
      outbound = rest;
      for (const reply of values) {
        answered += 1;
        const withheld = plan !== undefined && delivered - plan.deliveredAtArm >= plan.replies;
        if (!withheld) {
          client.write(reply);
          delivered += 1;
        }
      }
      finish();
    });
    client.on('error', () => undefined);
    server.on('error', () => client.destroy());
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());

    arm = (cut) =>
      new Promise<CutReport>((resolve) => {
        if (cut.replies > cut.commands) throw new Error('cutting proxy: more replies than commands');
        plan = { ...cut, sentAtArm: sent, deliveredAtArm: delivered, partial: 0 };
        done = resolve;
        finish();
      });
  });

  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  if (address === null || typeof address === 'string') throw new Error('cutting proxy: no port');

  return {
    url: `redis://127.0.0.1:${address.port}`,
    cutAfter(plan) {
      if (arm === undefined) throw new Error('cutting proxy: no client has connected');
      return arm(plan);
    },
    close: () =>
      new Promise<void>((resolve) => {
        connection?.client.destroy();
        connection?.server.destroy();
        proxy.close(() => resolve());
      }),
  };
}
