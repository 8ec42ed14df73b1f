import { SecondFactorError } from '@secondfactor/core';
import { describe, expect, it } from 'vitest';
import { toDataUrl, toSvg, toTerminal } from '../src/index';
import { URIS } from './uris';

const URI = URIS[0]!.uri;

type Render = (options: unknown, uri?: string) => Promise<unknown>;

// Options passed untyped, as a JavaScript caller could; a throw becomes a rejection.
const ALL: ReadonlyArray<[string, Render]> = [
  ['toSvg', async (options, uri = URI) => toSvg(uri, options as never)],
  ['toDataUrl', (options, uri = URI) => toDataUrl(uri, options as never)],
  ['toTerminal', async (options, uri = URI) => toTerminal(uri, options as never)],
];
const IMAGES = ALL.slice(0, 2);

async function codeOf(render: Render, options: unknown): Promise<string> {
  const error = await render(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SecondFactorError);
  return (error as SecondFactorError).code;
}

describe.each(ALL)('%s options shared by every renderer', (_name, render) => {
  it.each([null, 'M', 4, ['M']])(
    "options that are not an object (%s) fail with 'invalid_argument'",
    async (options) => {
      expect(await codeOf(render, options)).toBe('invalid_argument');
    },
  );

  it.each(['X', 'low', 'm', '', 0, null])(
    "errorCorrectionLevel %s (only 'L', 'M', 'Q', 'H') fails with 'invalid_argument'",
    async (level) => {
      expect(await codeOf(render, { errorCorrectionLevel: level })).toBe('invalid_argument');
    },
  );

  it.each([-1, 1.5, 17, Number.NaN, Number.POSITIVE_INFINITY, '4', null])(
    "margin %s (an integer from 0 to 16) fails with 'invalid_argument'",
    async (margin) => {
      expect(await codeOf(render, { margin })).toBe('invalid_argument');
    },
  );

  it('accepts the boundary margins 0 and 16 and every level', async () => {
    for (const errorCorrectionLevel of ['L', 'M', 'Q', 'H'] as const) {
      for (const margin of [0, 16]) {
        await expect(render({ errorCorrectionLevel, margin })).resolves.toBeTypeOf('string');
      }
    }
  });
});

describe.each(IMAGES)('%s image options', (_name, render) => {
  it.each([0, -5, 10.5, 4097, Number.NaN, '256'])("width %s fails with 'invalid_argument'", async (width) => {
    expect(await codeOf(render, { width })).toBe('invalid_argument');
  });

  it("a width smaller than the module count (with margin) fails with 'invalid_argument'", async () => {
    expect(await codeOf(render, { width: 40 })).toBe('invalid_argument');
  });

  it.each([0, 65, 2.5, -1, '4'])("scale %s fails with 'invalid_argument'", async (scale) => {
    expect(await codeOf(render, { scale })).toBe('invalid_argument');
  });

  it("a scale that makes the image larger than 4096 pixels fails with 'invalid_argument'", async () => {
    // 2,000-odd bytes need a version-30-or-larger symbol: over 137 modules, × 64 > 4096.
    const long = `${URI}&note=${'a'.repeat(1900)}`;
    const error = await render({ scale: 64, errorCorrectionLevel: 'L' }, long).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('4096') });
    await expect(render({ scale: 16, errorCorrectionLevel: 'L' }, long)).resolves.toBeTypeOf('string');
  });

  it("width and scale together fail with 'invalid_argument'", async () => {
    expect(await codeOf(render, { width: 256, scale: 4 })).toBe('invalid_argument');
  });

  it.each([
    'red',
    '000000',
    '#12345',
    '#1234567',
    '#gggggg',
    'url(#x)',
    '#000" onload="alert(1)',
    'rgb(0,0,0)',
    0,
  ])("a colour that is not hex #rgb[a] or #rrggbb[aa] (%s) fails with 'invalid_argument'", async (dark) => {
    expect(await codeOf(render, { color: { dark } })).toBe('invalid_argument');
  });

  it("color that is not an object fails with 'invalid_argument'", async () => {
    expect(await codeOf(render, { color: '#000' })).toBe('invalid_argument');
  });

  it.each([{ dark: '#ffffff' }, { dark: '#777', light: '#777' }, { dark: '#ffff00', light: '#0000ff' }])(
    "a dark colour not darker than the light one ($dark on $light) fails with 'invalid_argument'",
    async (color) => {
      expect(await codeOf(render, { color })).toBe('invalid_argument');
    },
  );
});

describe('toTerminal options', () => {
  it.each(['yes', 1, null])("small %s (a boolean) fails with 'invalid_argument'", async (small) => {
    expect(await codeOf(ALL[2]![1], { small })).toBe('invalid_argument');
  });

  it.each(['blue', 'Dark', null])(
    "background %s ('dark' or 'light') fails with 'invalid_argument'",
    async (background) => {
      expect(await codeOf(ALL[2]![1], { background })).toBe('invalid_argument');
    },
  );
});

describe('error messages', () => {
  it('name the option at fault', async () => {
    const message = async (options: unknown): Promise<string> =>
      ((await toDataUrl(URI, options as never).catch((e: unknown) => e)) as Error).message;
    expect(await message({ margin: -1 })).toContain('options.margin');
    expect(await message({ errorCorrectionLevel: 'X' })).toContain('options.errorCorrectionLevel');
    expect(await message({ color: { light: 'white' } })).toContain('options.color.light');
    expect(await message({ width: 1 })).toContain('options.width');
  });
});
