import { afterEach, beforeEach } from 'bun:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore, type Store } from '../../src/store/db.ts';
import { createRepositories, type Repositories } from '../../src/store/repositories.ts';
import { tempDir } from './builders.ts';

export interface TempStore {
  readonly file: string;
  readonly store: Store;
  readonly repos: Repositories;
  /** Closes and opens the file again, as a restart of the service would. */
  reopen(): void;
}

/** A real store file in a fresh temp dir for each test, removed afterwards. */
export function useTempStore(): TempStore {
  let dir = '';
  let current: { file: string; store: Store; repos: Repositories } | null = null;
  const get = () => {
    if (!current) throw new Error('the temp store exists only inside a test');
    return current;
  };

  beforeEach(() => {
    dir = tempDir();
    const file = path.join(dir, 'trading.db');
    const store = openStore(file);
    current = { file, store, repos: createRepositories(store) };
  });

  afterEach(() => {
    current?.store.close();
    current = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  return {
    get file() {
      return get().file;
    },
    get store() {
      return get().store;
    },
    get repos() {
      return get().repos;
    },
    reopen() {
      const { file, store } = get();
      store.close();
      const reopened = openStore(file);
      current = { file, store: reopened, repos: createRepositories(reopened) };
    },
  };
}
