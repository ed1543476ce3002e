import type { Config } from '../config/schema.ts';
import { openStore } from '../store/db.ts';
import { RunsRepository } from '../store/runs.ts';

/** Opens the configured store, saves one research run in its own transaction, closes it. */
export function saveRun(config: Config, save: (runs: RunsRepository, createdAt: number) => number): number {
  const store = openStore(config.store.path);
  try {
    return save(new RunsRepository(store), Date.now());
  } finally {
    store.close();
  }
}
