/**
 * The HTTP SMS provider against a local gateway (`node:http` on 127.0.0.1, a port the OS picks) that
 * checks every request with `verifySmsSignature`, as a real gateway would: a signed JSON body arrives;
 * a tampered body, a stale timestamp or a wrong secret fails verification; any answer but 2xx is
 * `delivery_failed`; redirects are not followed; nothing secret reaches an error.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { httpSmsProvider, SMS_SIGNATURE_HEADER, verifySmsSignature } from '@secondfactor/channels';
import { httpStatusOf, SecondFactorError } from '@secondfactor/core';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './smtp-server';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const clock = (): number => NOW;
const SECRET = 'gateway-secret-0123456789abcdef0123456789';
const TEXT = '493021 is your Acme sign-in code.';

interface Received {
  path: string;
  signature: string | undefined;
  contentType: string | undefined;
  raw: string;
}

interface Gateway {
  url: string;
  received: Received[];
  server: Server;
}

const gateways: Gateway[] = [];
afterEach(async () => {
  await Promise.all(
    gateways.splice(0).map((g) => new Promise<void>((resolve) => g.server.close(() => resolve()))),
  );
});

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A gateway that answers 200 to a request whose signature verifies (at the test's clock), 401 to one
 * that does not; `status` forces another answer, `/moved` redirects to `/elsewhere`.
 */
async function startGateway(options: { status?: number } = {}): Promise<Gateway> {
  const received: Received[] = [];
  const server = createServer(async (request, response) => {
    const raw = await readBody(request);
    const signature = request.headers['x-signature'];
    received.push({
      path: request.url ?? '',
      signature: typeof signature === 'string' ? signature : undefined,
      contentType: request.headers['content-type'],
      raw,
    });
    if (request.url === '/moved') {
      response.writeHead(307, { Location: '/elsewhere' }).end();
      return;
    }
    const check = verifySmsSignature(typeof signature === 'string' ? signature : undefined, raw, {
      secret: SECRET,
      now: NOW,
    });
    response.writeHead(options.status ?? (check.valid ? 200 : 401), { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ ok: check.valid, echo: raw }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  const gateway = { url: `http://127.0.0.1:${address.port}`, received, server };
  gateways.push(gateway);
  return gateway;
}

const failure = async (promise: Promise<unknown>): Promise<SecondFactorError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SecondFactorError);
  return error as SecondFactorError;
};

describe('httpSmsProvider', () => {
  it('posts { to, text, timestamp } as JSON, signed so the gateway verifies it', async () => {
    const gateway = await startGateway();
    const sms = httpSmsProvider({ url: `${gateway.url}/send`, secret: SECRET, clock });
    await sms.send('+15551234567', TEXT);

    expect(gateway.received).toHaveLength(1);
    const [request] = gateway.received as [Received];
    expect(request.path).toBe('/send');
    expect(request.contentType).toBe('application/json');
    expect(JSON.parse(request.raw)).toEqual({ to: '+15551234567', text: TEXT, timestamp: NOW / 1000 });
    expect(request.signature).toMatch(new RegExp(`^t=${NOW / 1000},v1=[0-9a-f]{64}$`));
    expect(verifySmsSignature(request.signature, request.raw, { secret: SECRET, now: NOW })).toEqual({
      valid: true,
      timestamp: NOW / 1000,
    });
  });

  it('a tampered body fails verification (the code swapped for another)', async () => {
    const gateway = await startGateway();
    await httpSmsProvider({ url: gateway.url, secret: SECRET, clock }).send('+15551234567', TEXT);
    const [request] = gateway.received as [Received];
    const tampered = request.raw.replace('493021', '000000');
    expect(tampered).not.toBe(request.raw);
    expect(verifySmsSignature(request.signature, tampered, { secret: SECRET, now: NOW })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    const redirected = request.raw.replace('+15551234567', '+15559999999');
    expect(verifySmsSignature(request.signature, redirected, { secret: SECRET, now: NOW }).valid).toBe(false);
  });

  it('a stale timestamp fails verification: a request replayed after the tolerance is refused', async () => {
    const gateway = await startGateway();
    await httpSmsProvider({ url: gateway.url, secret: SECRET, clock }).send('+15551234567', TEXT);
    const [request] = gateway.received as [Received];
    const at = (ms: number) =>
      verifySmsSignature(request.signature, request.raw, { secret: SECRET, now: ms });
    expect(at(NOW + 300_000).valid).toBe(true);
    expect(at(NOW + 301_000)).toEqual({ valid: false, reason: 'stale' });
    expect(at(NOW - 301_000)).toEqual({ valid: false, reason: 'stale' });
    expect(
      verifySmsSignature(request.signature, request.raw, {
        secret: SECRET,
        now: NOW + 61_000,
        toleranceSeconds: 60,
      }),
    ).toEqual({ valid: false, reason: 'stale' });
  });

  it('a provider signing with another secret is refused by the gateway: delivery_failed with the status', async () => {
    const gateway = await startGateway();
    const sms = httpSmsProvider({ url: gateway.url, secret: 'another-secret-0123456789abcdef', clock });
    const error = await failure(sms.send('+15551234567', TEXT));
    expect(error.code).toBe('delivery_failed');
    expect(httpStatusOf(error)).toBe(502);
    expect(error.detail).toEqual({ channel: 'sms', status: 401 });
  });

  it('G7: a gateway error is delivery_failed and the error carries neither the code, the URL nor the reply', async () => {
    const gateway = await startGateway({ status: 503 });
    const url = `${gateway.url}/send?key=url-api-key`;
    const sms = httpSmsProvider({ url, secret: SECRET, clock });
    const error = await failure(sms.send('+15551234567', TEXT));
    expect(gateway.received).toHaveLength(1);
    expect(error.detail).toEqual({ channel: 'sms', status: 503 });
    const everything = `${error.message} ${error.stack} ${JSON.stringify(error)} ${String(error.cause)}`;
    for (const secret of ['493021', 'url-api-key', SECRET, '127.0.0.1', 'echo']) {
      expect(everything).not.toContain(secret);
    }
  });

  it('does not follow a redirect (it would re-send the code elsewhere)', async () => {
    const gateway = await startGateway();
    const error = await failure(
      httpSmsProvider({ url: `${gateway.url}/moved`, secret: SECRET, clock }).send('+15551234567', TEXT),
    );
    expect(error.detail).toEqual({ channel: 'sms', status: 307 });
    expect(gateway.received.map((r) => r.path)).toEqual(['/moved']);
  });

  it('an unreachable gateway is delivery_failed (network); a timed-out one is delivery_failed (timeout)', async () => {
    const port = await freePort();
    const down = await failure(
      httpSmsProvider({ url: `http://127.0.0.1:${port}/`, secret: SECRET, clock }).send('+15551234567', TEXT),
    );
    expect(down.detail).toEqual({ channel: 'sms', reason: 'network' });

    const timedOut = httpSmsProvider({
      url: 'https://sms.example/send',
      secret: SECRET,
      clock,
      fetch: async () => {
        throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      },
    });
    expect((await failure(timedOut.send('+15551234567', TEXT))).detail).toEqual({
      channel: 'sms',
      reason: 'timeout',
    });
  });

  it('refuses a number that is not E.164 before any request', async () => {
    const gateway = await startGateway();
    const sms = httpSmsProvider({ url: gateway.url, secret: SECRET, clock });
    for (const to of ['15551234567', '+0551234567', '+1 555 123 4567', '+1234567', '+1234567890123456']) {
      const error = await failure(sms.send(to, TEXT));
      expect(error.code).toBe('invalid_argument');
      expect(error.message).toMatch(/^to must be an E\.164 phone number/);
    }
    expect(gateway.received).toHaveLength(0);
  });

  it('passes extra headers and sends the signature under X-Signature', async () => {
    let seen: Headers | undefined;
    const sms = httpSmsProvider({
      url: 'https://sms.example/send',
      secret: SECRET,
      clock,
      headers: { Authorization: 'Bearer gateway-key' },
      fetch: async (_url, init) => {
        seen = new Headers(init.headers);
        return new Response(null, { status: 202 });
      },
    });
    await sms.send('+15551234567', TEXT);
    expect(seen?.get('authorization')).toBe('Bearer gateway-key');
    expect(seen?.get(SMS_SIGNATURE_HEADER)).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });

  it('refuses bad options, naming them', () => {
    const bad = (options: unknown) => () => httpSmsProvider(options as never);
    expect(bad({ url: 'http://sms.example/send', secret: SECRET })).toThrow(
      /^options\.url must be an https: URL/,
    );
    expect(bad({ url: 'ftp://127.0.0.1/', secret: SECRET })).toThrow(/^options\.url/);
    expect(bad({ url: 'not a url', secret: SECRET })).toThrow(/^options\.url must be an absolute URL/);
    expect(bad({ url: 'https://user:pw@sms.example/', secret: SECRET })).toThrow(
      /^options\.url must not carry credentials/,
    );
    expect(bad({ url: 'https://sms.example/', secret: 'short' })).toThrow(/^options\.secret must be/);
    expect(bad({ url: 'https://sms.example/', secret: SECRET, fetch: 'no' })).toThrow(/^options\.fetch/);
    expect(bad({ url: 'https://sms.example/', secret: SECRET, timeoutMs: 0 })).toThrow(/^options\.timeoutMs/);
    expect(bad({ url: 'https://sms.example/', secret: SECRET, headers: { X: 1 } })).toThrow(
      /^options\.headers\.X/,
    );
    for (const url of [
      'http://localhost:8080/',
      'http://127.0.0.2/',
      'http://[::1]/',
      'https://sms.example/',
    ]) {
      expect(() => httpSmsProvider({ url, secret: SECRET })).not.toThrow();
    }
  });
});
