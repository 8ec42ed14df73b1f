// Builds every workspace package that has a build script, dependencies first.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dirs = readdirSync(join(root, 'packages')).map((d) => join(root, 'packages', d));
const pkgs = new Map();
for (const dir of dirs) {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) continue;
  const json = JSON.parse(readFileSync(file, 'utf8'));
  if (!json.scripts?.build) continue;
  const deps = Object.keys({ ...json.dependencies, ...json.peerDependencies, ...json.devDependencies });
  pkgs.set(json.name, { dir, deps });
}

const order = [];
const seen = new Set();
const visit = (name, path = []) => {
  if (seen.has(name) || !pkgs.has(name)) return;
  if (path.includes(name)) throw new Error(`dependency cycle: ${[...path, name].join(' -> ')}`);
  for (const dep of pkgs.get(name).deps) visit(dep, [...path, name]);
  seen.add(name);
  order.push(name);
};
for (const name of [...pkgs.keys()].sort()) visit(name);

for (const name of order) {
  process.stdout.write(`build ${name}\n`);
  execFileSync('npm', ['run', '--silent', 'build'], {
    cwd: pkgs.get(name).dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
