import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The engine must run unchanged in Node 20+, browsers, Deno, Bun and edge workers.
const SRC = new URL('../src/', import.meta.url);
const sources = readdirSync(SRC)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => [name, readFileSync(new URL(name, SRC), 'utf8')] as const);
// The code without comments: TSDoc examples legitimately show `import … from '@secondfactor/core'`.
const code = (text: string): string => text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');

describe('runtime neutrality', () => {
  it('no source file imports node:* or a Node built-in, or uses Buffer, process or require', () => {
    expect(sources.length).toBeGreaterThan(5);
    for (const [name, text] of sources) {
      const body = code(text);
      expect(body, name).not.toMatch(/from\s+['"]node:/);
      expect(body, name).not.toMatch(/from\s+['"](fs|crypto|buffer|util|path|os)['"]/);
      expect(body, name).not.toMatch(/\bBuffer\b/);
      expect(body, name).not.toMatch(/\bprocess\./);
      expect(body, name).not.toMatch(/\brequire\(/);
    }
  });

  it('imports nothing but relative modules and @noble/hashes', () => {
    for (const [name, text] of sources) {
      for (const [, specifier] of code(text).matchAll(/from\s+['"]([^'"]+)['"]/g)) {
        expect(
          specifier!.startsWith('./') || specifier!.startsWith('@noble/hashes/'),
          `${name}: ${specifier}`,
        ).toBe(true);
      }
    }
  });

  it('declares @noble/hashes as its only dependency', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(['@noble/hashes']);
    expect(pkg.peerDependencies).toBeUndefined();
  });

  it('every source file stays under 400 lines and starts with a @module comment (except the barrel)', () => {
    for (const [name, text] of sources) {
      expect(text.split('\n').length, name).toBeLessThan(400);
      if (name !== 'index.ts') expect(text.trimStart().startsWith('/**\n * @module'), name).toBe(true);
    }
  });
});
