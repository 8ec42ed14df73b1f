/**
 * @module
 * `@secondfactor/store/testing`: the conformance suite every store adapter runs, the worker its races
 * across processes fork, and the helpers for racing primitives across processes. Needs vitest (an
 * optional peer dependency).
 */
export type { ProcessWorker } from './capabilities';
export { type ConformanceOptions, type ConformanceTarget, runStoreConformance } from './conformance';
export { conformanceWorker, type WorkerStore } from './conformance-worker';
export {
  auditEvent,
  createdChallenge,
  emailChallenge,
  emailCredential,
  fakeCiphertext,
  freshId,
  loginChallenge,
  pendingTotp,
  randomDigest,
  totpCredential,
  trustedDevice,
  userSettings,
} from './fixtures';
export { type RaceAcrossProcessesOptions, type RaceMessage, raceAcrossProcesses } from './race-processes';
export { type RaceWorkerContext, raceWorker } from './race-worker';
export { BAD_DIGESTS, BAD_IDS, BAD_TIMES, PLAINTEXT_SECRETS } from './validation';
