import type { Database } from 'bun:sqlite';

/** One schema change (see migrations.ts for how to add one). Its own module, so migrations and their list do not import each other. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: string | ((db: Database) => void);
}
