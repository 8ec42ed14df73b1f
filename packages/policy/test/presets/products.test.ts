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

  it('every control of every product is answered by one question or derived setting of the policy', () => {
    for (const [name, product] of Object.entries(PRODUCTS)) {
      const preset = (policy as unknown as Record<string, policy.PolicyConfig>)[name];
      const engine = policy.createPolicy(preset as policy.PolicyConfig) as unknown as Record<string, unknown>;
      for (const control of product.controls) {
        expect(typeof engine[control.answeredBy], `${name}: ${control.label}`).toBe('function');
      }
      const labels = product.controls.map((control) => control.label);
      expect(new Set(labels).size, `${name}: control labels are distinct`).toBe(labels.length);
    }
  });
});
