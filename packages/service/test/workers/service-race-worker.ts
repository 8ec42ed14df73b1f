/**
 * @module
 * A worker of the races across processes (`races.processes.test.ts`): its own connection to the race's
 * store, the same service as every other process, and its share of each race's calls, fired when the
 * pool releases every worker together (`RacePool` in `../process-harness.ts`).
 */
import { serveRaces } from '../process-harness';

await serveRaces();
