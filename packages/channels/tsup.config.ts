import type { Options } from 'tsup';
import { packageConfig } from '../../tsup.shared';

const config: Options = packageConfig({ index: 'src/index.ts', testing: 'src/testing/index.ts' });

export default config;
