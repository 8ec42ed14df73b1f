import { describe, expect, it } from 'vitest';
import { toSvg } from '../src/index';
import { decodeSvg } from './decode';
import { URIS } from './uris';

// The whole document: one <svg> root, an optional background <rect/>, one <path/>; attribute values quoted.
const STRUCTURE =
  /^<svg( [a-zA-Z:-]+="[^"<>]*")+>(<rect( [a-z-]+="[^"<>]*")+\/>)?<path( [a-z-]+="[^"<>]*")+\/><\/svg>$/;

describe('toSvg', () => {
  it('is a well-formed, self-contained <svg> element with a square viewBox', () => {
    const svg = toSvg(URIS[0]!.uri);
    expect(svg.startsWith('<svg ')).toBe(true);
    expect(svg).toMatch(STRUCTURE);
    expect(svg).toMatch(/ viewBox="0 0 (\d+) \1"/);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
  });

  it.each(URIS)(
    'B10: contains no URL but the SVG namespace, and no script or reference: $name',
    ({ uri }) => {
      const svg = toSvg(uri);
      expect(svg.match(/https?:\/\/[^\s"'<>]*/g)).toEqual(['http://www.w3.org/2000/svg']);
      expect(svg).not.toMatch(/<script|<image|<use|<foreignObject|href|url\(|on[a-z]+=/i);
    },
  );

  it.each(URIS)('L1: decodes back to the exact URI: $name', ({ uri }) => {
    expect(decodeSvg(toSvg(uri))).toBe(uri);
  });

  it.each(['L', 'M', 'Q', 'H'] as const)('decodes at error correction level %s', (level) => {
    expect(decodeSvg(toSvg(URIS[3]!.uri, { errorCorrectionLevel: level }))).toBe(URIS[3]!.uri);
  });

  it('the viewBox is the module count plus twice the margin (4 by default)', () => {
    const side = (svg: string): number => Number(/viewBox="0 0 (\d+)/.exec(svg)?.[1]);
    const bare = side(toSvg(URIS[0]!.uri, { margin: 0 }));
    expect((bare - 17) % 4).toBe(0);
    expect(side(toSvg(URIS[0]!.uri))).toBe(bare + 8);
    expect(side(toSvg(URIS[0]!.uri, { margin: 1 }))).toBe(bare + 2);
  });

  it('writes no size attributes by default, so the image fills its container', () => {
    const root = /^<svg[^>]*>/.exec(toSvg(URIS[0]!.uri))?.[0];
    expect(root).toMatch(/ viewBox="/);
    expect(root).not.toMatch(/ (width|height)=/);
  });

  it('writes width and height from options.width or options.scale', () => {
    expect(toSvg(URIS[0]!.uri, { width: 256 })).toContain(' width="256" height="256"');
    const svg = toSvg(URIS[0]!.uri, { scale: 3 });
    const side = Number(/viewBox="0 0 (\d+)/.exec(svg)?.[1]);
    expect(svg).toContain(` width="${side * 3}" height="${side * 3}"`);
  });

  it('uses the given colours, written as #rrggbb with an opacity for alpha', () => {
    const svg = toSvg(URIS[0]!.uri, { color: { dark: '#123', light: '#ABCDEF' } });
    expect(svg).toContain('<rect width=');
    expect(svg).toContain('fill="#abcdef"');
    expect(svg).toContain('<path fill="#112233"');
    const translucent = toSvg(URIS[0]!.uri, { color: { dark: '#00000080' } });
    expect(translucent).toContain('<path fill="#000000" fill-opacity="0.502"');
  });

  it('draws no background when the light colour is fully transparent', () => {
    const svg = toSvg(URIS[0]!.uri, { color: { light: '#fff0' } });
    expect(svg).not.toContain('<rect');
    expect(decodeSvg(svg)).toBe(URIS[0]!.uri);
  });

  it('is deterministic: the same input gives the same markup', () => {
    expect(toSvg(URIS[2]!.uri)).toBe(toSvg(URIS[2]!.uri));
  });
});
