import { readdirSync } from 'node:fs';
import * as policy from '@secondfactor/policy';
import { describe, expect, it } from 'vitest';
import { PRODUCTS } from './products';

const presetNames = readdirSync(new URL('../../src/presets/', import.meta.url))
  .filter((file) => file.endsWith('.ts') && file !== 'freeze.ts' && file !== 'index.ts')
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();

describe('product fixtures', () => {
  it('every preset the package ships is exported and has a product fixture with a story', () => {
    expect(presetNames.length).toBeGreaterThan(0);
    expect(Object.keys(PRODUCTS).sort()).toEqual(presetNames);
    const stories = readdirSync(new URL('./', import.meta.url)).filter((file) =>
      file.endsWith('.story.test.ts'),
    );
    expect(stories.map((file) => file.slice(0, -'.story.test.ts'.length)).sort()).toEqual(presetNames);
    for (const name of presetNames) expect(policy).toHaveProperty(name);
  });
});
