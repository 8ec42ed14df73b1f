// Checks that every exported symbol of every package entry point carries an @example in its TSDoc, read
// from the JSON model typedoc writes beside the site (docs/site/api.json). Exits non-zero naming each
// symbol without one. Run by `npm run docs` after typedoc.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const file = resolve(process.argv[2] ?? new URL('../docs/site/api.json', import.meta.url).pathname);
if (!existsSync(file)) {
  console.error(`check-docs-examples: no ${file} (run typedoc first; typedoc.json names it as "json")`);
  process.exit(1);
}

// typedoc's ReflectionKind values: modules nest (a package with several entry points), the rest are exports.
const MODULE = 2;
const NAMESPACE = 4;
const EXPORTED = new Map([
  [8, 'enum'],
  [32, 'variable'],
  [64, 'function'],
  [128, 'class'],
  [256, 'interface'],
  [2097152, 'type'],
]);

/** Whether the reflection's own comment, or its first signature's, has an @example block. */
function hasExample(reflection) {
  const comment = reflection.comment ?? reflection.signatures?.[0]?.comment;
  return comment?.blockTags?.some((tag) => tag.tag === '@example') ?? false;
}

const missing = [];
let checked = 0;
function walk(parent, path) {
  for (const child of parent.children ?? []) {
    if (child.kind === MODULE || child.kind === NAMESPACE) walk(child, `${path}/${child.name}`);
    else if (EXPORTED.has(child.kind)) {
      checked += 1;
      if (!hasExample(child)) missing.push(`${path}: ${child.name} (${EXPORTED.get(child.kind)})`);
    }
  }
}
const project = JSON.parse(readFileSync(file, 'utf8'));
for (const pkg of project.children ?? []) walk(pkg, pkg.name);

if (missing.length > 0) {
  console.error(`check-docs-examples: ${missing.length} of ${checked} exported symbols have no @example:`);
  for (const line of missing) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`check-docs-examples: all ${checked} exported symbols have an @example`);
