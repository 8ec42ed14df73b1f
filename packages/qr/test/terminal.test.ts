import { describe, expect, it } from 'vitest';
import { toTerminal } from '../src/index';
import { decodeTerminal } from './decode';
import { URIS } from './uris';

const isModuleCount = (n: number): boolean => n >= 21 && n <= 177 && (n - 17) % 4 === 0;

describe('toTerminal', () => {
  it('small (default): N + 2m columns and ⌈(N + 2m) / 2⌉ lines, with N a QR module count and m = 2', () => {
    const lines = toTerminal(URIS[0]!.uri).split('\n');
    const width = [...lines[0]!].length;
    expect(isModuleCount(width - 4)).toBe(true);
    expect(lines).toHaveLength(Math.ceil(width / 2));
    for (const line of lines) expect([...line]).toHaveLength(width);
  });

  it('full size: two characters per module and one line per module row, a square of N + 2m rows', () => {
    const lines = toTerminal(URIS[0]!.uri, { small: false, margin: 4 }).split('\n');
    const total = lines.length;
    expect(isModuleCount(total - 8)).toBe(true);
    for (const line of lines) expect([...line]).toHaveLength(2 * total);
  });

  it('the small and full-size renderings describe the same symbol size', () => {
    const small = toTerminal(URIS[4]!.uri, { margin: 0 }).split('\n');
    const full = toTerminal(URIS[4]!.uri, { margin: 0, small: false }).split('\n');
    expect(full).toHaveLength([...small[0]!].length);
  });

  it('uses only spaces and block characters: no escape sequences, no final newline', () => {
    const text = toTerminal(URIS[2]!.uri);
    expect(text).toMatch(/^[ ▀▄█\n]+$/u);
    expect(text.endsWith('\n')).toBe(false);
    expect(toTerminal(URIS[2]!.uri, { small: false })).toMatch(/^( {2}|██|\n)+$/u);
  });

  it('on a dark background the quiet zone is drawn, on a light background it is left blank', () => {
    const dark = toTerminal(URIS[0]!.uri).split('\n');
    const light = toTerminal(URIS[0]!.uri, { background: 'light' }).split('\n');
    expect(dark[0]).toMatch(/^█+$/u);
    expect(light[0]).toMatch(/^ +$/u);
  });

  it.each(URIS)('L1: decodes back to the exact URI (small, dark background): $name', ({ uri }) => {
    expect(decodeTerminal(toTerminal(uri), { small: true, background: 'dark' })).toBe(uri);
  });

  it.each([
    { small: true, background: 'light' },
    { small: false, background: 'dark' },
    { small: false, background: 'light' },
  ] as const)('decodes back to the exact URI with small=$small, background=$background', (options) => {
    const { uri } = URIS[3]!;
    expect(decodeTerminal(toTerminal(uri, options), options)).toBe(uri);
  });

  it('a larger margin widens every line by two characters per module', () => {
    const two = toTerminal(URIS[0]!.uri).split('\n');
    const four = toTerminal(URIS[0]!.uri, { margin: 4 }).split('\n');
    expect([...four[0]!].length - [...two[0]!].length).toBe(4);
  });

  it('a higher error correction level gives a larger symbol', () => {
    const width = (level: 'L' | 'H'): number =>
      [...toTerminal(URIS[4]!.uri, { errorCorrectionLevel: level }).split('\n')[0]!].length;
    expect(width('H')).toBeGreaterThan(width('L'));
  });
});
