import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import projects from './vitest.workspace';

const pkg = (path: string): string => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@secondfactor\/store\/adapter$/, replacement: pkg('store/src/adapter/index.ts') },
      { find: /^@secondfactor\/store\/testing$/, replacement: pkg('store/src/testing/index.ts') },
      { find: /^@secondfactor\/channels\/testing$/, replacement: pkg('channels/src/testing/index.ts') },
      { find: /^@secondfactor\/http\/testing$/, replacement: pkg('http/src/testing/index.ts') },
      { find: /^@secondfactor\/([a-z-]+)$/, replacement: pkg('$1/src/index.ts') },
    ],
  },
  test: {
    projects,
    reporters: ['default', './scripts/summary-reporter.ts'],
    // Guards against a hung test, not limits on speed: a test must not fail because the machine is busy.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
