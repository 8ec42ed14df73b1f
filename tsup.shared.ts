import { defineConfig, type Options } from 'tsup';

/**
 * The one build configuration every package uses: ESM + CJS + declarations for each entry.
 * Kept to options that tsdown also accepts, so a later move is one step.
 */
export function packageConfig(entry: Record<string, string> = { index: 'src/index.ts' }): Options {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    treeshake: true,
  }) as Options;
}
