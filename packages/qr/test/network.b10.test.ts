import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import net from 'node:net';
import { dirname, join } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { toDataUrl, toSvg, toTerminal } from '../src/index';
import { URIS } from './uris';

const NETWORK_MODULES = /require\(\s*['"](node:)?(http|https|http2|net|tls|dgram|dns)['"]\s*\)/;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(c|m)?[jt]s$/.test(entry.name) ? [path] : [];
  });
}

describe('B10: QR codes are rendered locally, nothing goes over the network', () => {
  let spies: MockInstance[] = [];

  beforeEach(() => {
    // Every way Node code opens a connection ends in one of these; each spy throws so a call cannot
    // go unnoticed even if the caller swallowed the error.
    const refuse = (): never => {
      throw new Error('network access during QR rendering');
    };
    spies = [
      vi.spyOn(globalThis, 'fetch').mockImplementation(refuse),
      vi.spyOn(http, 'request').mockImplementation(refuse),
      vi.spyOn(http, 'get').mockImplementation(refuse),
      vi.spyOn(https, 'request').mockImplementation(refuse),
      vi.spyOn(https, 'get').mockImplementation(refuse),
      vi.spyOn(net, 'connect').mockImplementation(refuse),
      vi.spyOn(net, 'createConnection').mockImplementation(refuse),
      vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(refuse),
      vi.spyOn(tls, 'connect').mockImplementation(refuse),
    ];
  });

  afterEach(() => {
    for (const spy of spies) spy.mockRestore();
  });

  it('the spies see a request when one is made (control)', () => {
    expect(() => http.request('http://127.0.0.1:9/')).toThrow('network access');
    expect(spies[1]).toHaveBeenCalledTimes(1);
  });

  it.each(URIS)(
    'no fetch, http(s) request, socket or TLS connection while rendering SVG, PNG and text: $name',
    async ({ uri }) => {
      toSvg(uri);
      toSvg(uri, { width: 512, errorCorrectionLevel: 'H', color: { dark: '#222', light: '#fff0' } });
      await toDataUrl(uri);
      await toDataUrl(uri, { width: 400, errorCorrectionLevel: 'Q' });
      toTerminal(uri);
      toTerminal(uri, { small: false, background: 'light' });
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    },
  );

  it('the package source names no URL but the SVG namespace, so no QR web service can be called', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
    const urls = sourceFiles(root).flatMap(
      (file) => readFileSync(file, 'utf8').match(/https?:\/\/[^\s'"`)]+/g) ?? [],
    );
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
  });

  it('the qrcode library the renderers use loads no network module and calls no fetch', () => {
    const entry = createRequire(import.meta.url).resolve('qrcode');
    const files = sourceFiles(dirname(entry));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(NETWORK_MODULES);
      expect(text, file).not.toMatch(/\bfetch\s*\(|XMLHttpRequest|WebSocket/);
    }
  });
});
