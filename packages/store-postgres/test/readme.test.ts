/**
 * The raw-dump example of `@secondfactor/store`'s README ("Writing an adapter") lists this adapter's
 * tables by name. A table it misses is a table whose rows the plaintext inspection (B6, F2, G5) would
 * never see, so the list must be exactly the tables the migrations create.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { MIGRATIONS } from '../src/index';
import { tableNames } from '../src/names';

const readme = readFileSync(new URL('../../store/README.md', import.meta.url), 'utf8');

it('B6: the store README’s raw-dump example names exactly the tables the migrations create', () => {
  const created = MIGRATIONS.flatMap((migration) => migration.statements(tableNames('s'))).flatMap((sql) =>
    [...sql.matchAll(/CREATE TABLE "s"\."([a-z_]+)"/g)].map((match) => match[1]),
  );
  expect(created.length).toBeGreaterThan(0);
  const example = /const tables = \[([^\]]*)\]/.exec(readme)?.[1];
  expect(example, 'the README has a `const tables = [...]` raw-dump example').toBeDefined();
  const listed = [...(example ?? '').matchAll(/'([a-z_]+)'/g)].map((match) => match[1]);
  expect([...listed].sort()).toEqual([...created].sort());
});
