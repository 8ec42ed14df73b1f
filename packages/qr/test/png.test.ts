import { describe, expect, it } from 'vitest';
import { toDataUrl } from '../src/index';
import { decodePngDataUrl, readPngDataUrl } from './decode';
import { URIS } from './uris';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('toDataUrl (PNG)', () => {
  it('returns a base64 data URL holding a PNG file', async () => {
    const url = await toDataUrl(URIS[0]!.uri);
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    const bytes = Uint8Array.from(atob(url.slice('data:image/png;base64,'.length)), (c) => c.charCodeAt(0));
    expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  });

  it.each(URIS)('L1: decodes back to the exact URI: $name', async ({ uri }) => {
    expect(decodePngDataUrl(await toDataUrl(uri))).toBe(uri);
  });

  it.each(['L', 'M', 'Q', 'H'] as const)('decodes at error correction level %s', async (level) => {
    const { uri } = URIS[2]!;
    expect(decodePngDataUrl(await toDataUrl(uri, { errorCorrectionLevel: level }))).toBe(uri);
  });

  it('a higher error correction level gives a larger symbol for the same URI', async () => {
    const { uri } = URIS[4]!;
    const low = readPngDataUrl(await toDataUrl(uri, { errorCorrectionLevel: 'L', scale: 1, margin: 0 }));
    const high = readPngDataUrl(await toDataUrl(uri, { errorCorrectionLevel: 'H', scale: 1, margin: 0 }));
    expect(high.width).toBeGreaterThan(low.width);
  });

  it('draws one pixel per module at scale 1, so the side is a QR module count (17 + 4v) plus the margin', async () => {
    const { width, height } = readPngDataUrl(await toDataUrl(URIS[0]!.uri, { scale: 1, margin: 3 }));
    expect(width).toBe(height);
    expect((width - 6 - 17) % 4).toBe(0);
    expect(width - 6).toBeGreaterThanOrEqual(21);
  });

  it('defaults to 4 pixels per module and a 4-module quiet zone', async () => {
    const unit = readPngDataUrl(await toDataUrl(URIS[0]!.uri, { scale: 1, margin: 0 }));
    const image = readPngDataUrl(await toDataUrl(URIS[0]!.uri));
    expect(image.width).toBe((unit.width + 8) * 4);
  });

  it('honours width exactly and still decodes', async () => {
    const url = await toDataUrl(URIS[1]!.uri, { width: 300 });
    const { width, height } = readPngDataUrl(url);
    expect([width, height]).toEqual([300, 300]);
    expect(decodePngDataUrl(url)).toBe(URIS[1]!.uri);
  });

  it('paints the quiet zone in the light colour and decodes with custom colours', async () => {
    const url = await toDataUrl(URIS[0]!.uri, { color: { dark: '#1a237e', light: '#fff8e1' } });
    const { data } = readPngDataUrl(url);
    expect([...data.subarray(0, 4)]).toEqual([0xff, 0xf8, 0xe1, 0xff]);
    expect(decodePngDataUrl(url)).toBe(URIS[0]!.uri);
  });

  it('keeps the alpha channel of a translucent light colour', async () => {
    const { data } = readPngDataUrl(await toDataUrl(URIS[0]!.uri, { color: { light: '#ffffff00' } }));
    expect(data[3]).toBe(0);
  });

  it('a margin of 0 puts a finder pattern module in the top-left pixel', async () => {
    const { data } = readPngDataUrl(await toDataUrl(URIS[0]!.uri, { margin: 0 }));
    expect([...data.subarray(0, 4)]).toEqual([0, 0, 0, 255]);
  });
});
