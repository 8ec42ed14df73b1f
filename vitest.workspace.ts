/**
 * The one list of test projects, read from the folders: every package under `packages/` is a project
 * (and must have a `test/` folder), every example under `examples/` with a `test/` folder is one too, so
 * a new package's tests cannot be left out by forgetting a line here. `vitest.config.ts` passes the list
 * to `test.projects`; each project inherits the root config (`extends: true`), so workspace imports
 * resolve to `src/`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Project = { extends: true; test: { name: string; root: string; include: string[] } };

const root = fileURLToPath(new URL('./', import.meta.url));

function workspaces(folder: 'packages' | 'examples'): string[] {
  return readdirSync(`${root}${folder}`, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(`${root}${folder}/${entry.name}/package.json`))
    .map((entry) => entry.name)
    .sort();
}

const hasTests = (dir: string): boolean => existsSync(`${root}${dir}/test`);

const untested = workspaces('packages').filter((name) => !hasTests(`packages/${name}`));
if (untested.length > 0) {
  throw new Error(`every package has a test/ folder; missing in: ${untested.join(', ')}`);
}

const project = (name: string, dir: string): Project => ({
  extends: true,
  test: { name, root: dir, include: ['test/**/*.test.ts'] },
});

const projects: Project[] = [
  ...workspaces('packages').map((name) => project(name, `packages/${name}`)),
  ...workspaces('examples')
    .filter((name) => hasTests(`examples/${name}`))
    .map((name) => project(name, `examples/${name}`)),
];

export default projects;
