/**
 * The one list of test projects. `vitest.config.ts` passes it to `test.projects`.
 * Each project inherits the root config (`extends: true`), so workspace imports resolve to `src/`.
 */
const packages = ['core', 'qr', 'store', 'store-postgres', 'store-redis', 'backup-codes', 'policy'] as const;

const projects: Array<{ extends: true; test: { name: string; root: string; include: string[] } }> =
  packages.map((name) => ({
    extends: true,
    test: { name, root: `packages/${name}`, include: ['test/**/*.test.ts'] },
  }));

export default projects;
