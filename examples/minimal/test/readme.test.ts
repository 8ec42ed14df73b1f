/**
 * The root README's quick start is this example's code: its `ts` block is the text between the
 * `// readme:start` and `// readme:end` markers of `src/app.ts` then `src/main.ts`, and its install line
 * names this example's dependencies, so editing one side without the other fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');

/** The fenced blocks of `language` in the README's "Quick start" section, in order. */
function quickStartBlocks(language: string): string[] {
  const readme = read('../../../README.md');
  const start = readme.indexOf('\n## Quick start\n');
  expect(start, 'README.md has a "## Quick start" section').toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const fence = new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'gm');
  return [...section.matchAll(fence)].map((match) => match[1] ?? '');
}

/** The marked regions of `file`, in order, each with its lines' end. */
function regions(file: string): string[] {
  const found: string[] = [];
  let current: string[] | undefined;
  for (const line of read(file).split('\n')) {
    if (line === '// readme:start') {
      expect(current, `${file}: readme:start inside a region`).toBeUndefined();
      current = [];
    } else if (line === '// readme:end') {
      expect(current, `${file}: readme:end without readme:start`).toBeDefined();
      found.push(current?.map((text) => `${text}\n`).join('') ?? '');
      current = undefined;
    } else {
      current?.push(line);
    }
  }
  expect(current, `${file}: readme:start without readme:end`).toBeUndefined();
  return found;
}

describe('the README quick start', () => {
  it('its TypeScript is the marked code of src/app.ts followed by src/main.ts, character for character', () => {
    const blocks = quickStartBlocks('ts');
    const marked = [...regions('../src/app.ts'), ...regions('../src/main.ts')];
    expect(blocks.length).toBeGreaterThan(0);
    expect(marked.length).toBeGreaterThan(0);
    expect(marked.join('')).toBe(blocks.join(''));
  });

  it('its install command names exactly the dependencies of this example', () => {
    const [install = ''] = quickStartBlocks('sh');
    const named = install.trim().split(/\s+/).slice(2).sort();
    const pkg = JSON.parse(read('../package.json')) as { dependencies: Record<string, string> };
    expect(install.trim().startsWith('npm install ')).toBe(true);
    expect(named).toEqual(Object.keys(pkg.dependencies).sort());
  });
});
