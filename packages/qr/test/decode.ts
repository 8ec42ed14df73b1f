/**
 * @module
 * Test helpers: read every output format back into the text a phone would see, with an independent
 * QR decoder (`jsqr`) and PNG reader (`pngjs`). Returns the decoded bytes as UTF-8, exactly.
 */

import { Buffer } from 'node:buffer';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes RGBA pixels with jsQR; `null` when no QR code is found. */
export function decodePixels(rgba: Uint8Array, width: number, height: number): string | null {
  const found = jsQR(new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.length), width, height, {
    inversionAttempts: 'dontInvert',
  });
  return found === null ? null : utf8.decode(Uint8Array.from(found.binaryData));
}

/** Reads a `data:image/png;base64,…` URL into pixels. */
export function readPngDataUrl(dataUrl: string): { width: number; height: number; data: Uint8Array } {
  const prefix = 'data:image/png;base64,';
  if (!dataUrl.startsWith(prefix)) throw new Error('not a PNG data URL');
  const png = PNG.sync.read(Buffer.from(dataUrl.slice(prefix.length), 'base64'));
  return { width: png.width, height: png.height, data: png.data };
}

/** Decodes a PNG data URL to the text its QR code carries. */
export function decodePngDataUrl(dataUrl: string): string | null {
  const { width, height, data } = readPngDataUrl(dataUrl);
  return decodePixels(data, width, height);
}

/** Paints a grid of modules (true = dark) with a 4-module white border, 4 pixels per module, and decodes it. */
export function decodeGrid(grid: readonly (readonly boolean[])[]): string | null {
  const scale = 4;
  const border = 4;
  const modules = grid.length + 2 * border;
  const side = modules * scale;
  const pixels = new Uint8Array(side * side * 4).fill(255);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const row = Math.floor(y / scale) - border;
      const column = Math.floor(x / scale) - border;
      if (grid[row]?.[column] === true) pixels.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
    }
  }
  return decodePixels(pixels, side, side);
}

const TOP = new Set(['▀', '█']);
const BOTTOM = new Set(['▄', '█']);

/**
 * Turns terminal output back into a module grid (quiet zone included). Block characters are what the
 * terminal paints in its text colour: on a dark background those are the light modules.
 */
export function terminalToGrid(
  text: string,
  options: { small: boolean; background: 'dark' | 'light' },
): boolean[][] {
  const lines = text.split('\n');
  const grid: boolean[][] = [];
  const darkIsPainted = options.background === 'light';
  for (const line of lines) {
    if (options.small) {
      const chars = [...line];
      grid.push(chars.map((c) => TOP.has(c) === darkIsPainted));
      grid.push(chars.map((c) => BOTTOM.has(c) === darkIsPainted));
    } else {
      const pairs = line.match(/../gu) ?? [];
      grid.push(pairs.map((pair) => (pair === '██') === darkIsPainted));
    }
  }
  // Small mode packs two rows per line; the half line below an odd row count is not part of the code.
  const size = grid[0]?.length ?? 0;
  return grid.slice(0, size);
}

/** Decodes terminal output to the text its QR code carries. */
export function decodeTerminal(
  text: string,
  options: { small: boolean; background: 'dark' | 'light' },
): string | null {
  return decodeGrid(terminalToGrid(text, options));
}

/**
 * Reads the module grid back from an SVG made of one `<path>` of `M x y h n v 1 h -n z` runs, checking
 * that the path holds nothing else, and decodes it.
 */
export function decodeSvg(svg: string): string | null {
  const viewBox = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  const path = /<path [^>]*d="([^"]*)"/.exec(svg);
  if (viewBox === null || path === null) throw new Error('SVG without viewBox or path');
  const size = Number(viewBox[1]);
  const d = path[1] ?? '';
  const grid = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  const runs = /M(\d+) (\d+)h(\d+)v1h-(\d+)z/g;
  let consumed = 0;
  for (const [whole, x, y, width, back] of d.matchAll(runs)) {
    if (width !== back) throw new Error('run does not close on itself');
    for (let i = 0; i < Number(width); i++) grid[Number(y)]![Number(x) + i] = true;
    consumed += whole.length;
  }
  if (consumed !== d.length) throw new Error('path holds commands this reader does not understand');
  return decodeGrid(grid);
}
