import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { BarsRepository } from '../store/bars.ts';
import { openStore } from '../store/db.ts';
import { keyValues } from './args.ts';

export const STORE_OPTIONS = { config: { type: 'string' }, set: { type: 'string', multiple: true } } as const;
export const STORE_HELP = { config: 'config file (YAML); the store is store.path', set: 'override a setting, e.g. --set store.path=data/bars.db (repeatable)' } as const;

/** The config the data commands run with: --config and --set, as every command reads them. */
export function configOf(values: { config?: string; set?: string[] }): Config {
  return loadConfig({ path: values.config, overrides: keyValues('set', values.set), env: process.env }).config;
}

/** Opens the store named by store.path for one piece of work and closes it again. */
export function withBars<T>(config: Config, work: (bars: BarsRepository) => T): T {
  const store = openStore(config.store.path);
  try {
    return work(new BarsRepository(store));
  } finally {
    store.close();
  }
}


/** withBars for work that awaits (a download): the store closes when the promise settles. */
export async function withBarsAsync<T>(config: Config, work: (bars: BarsRepository) => Promise<T>): Promise<T> {
  const store = openStore(config.store.path);
  try {
    return await work(new BarsRepository(store));
  } finally {
    store.close();
  }
}
