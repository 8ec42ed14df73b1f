// Runs publint and @arethetypeswrong/cli on every built package; exits non-zero on any problem.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let failed = false;
for (const name of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', name);
  if (!existsSync(join(dir, 'package.json'))) continue;
  for (const [bin, args] of [
    ['publint', ['--strict']],
    ['attw', ['--pack', '.', '--profile', 'node16']],
  ]) {
    try {
      const out = execFileSync(join(root, 'node_modules', '.bin', bin), args, { cwd: dir, encoding: 'utf8' });
      process.stdout.write(`${name} ${bin}: ok\n`);
      if (/warning|suggestion/i.test(out)) process.stdout.write(out);
    } catch (error) {
      failed = true;
      process.stdout.write(`${name} ${bin}: FAILED\n${error.stdout ?? ''}${error.stderr ?? ''}\n`);
    }
  }
}
process.exit(failed ? 1 : 0);
