import { MemoryStore } from '@secondfactor/store';
import { runStoreConformance } from '@secondfactor/store/testing';

runStoreConformance('memory', async () => {
  const store = new MemoryStore();
  return { store, dumpRaw: async () => store.exportSnapshot(), close: () => store.close() };
});
