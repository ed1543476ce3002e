import type { Store } from './db.ts';
import type { Page } from './paging.ts';
import { RunReader } from './runs-query.ts';
import { RunWriter } from './runs-save.ts';
import type {
  GridOrder,
  RunKind,
  RunSummary,
  SaveBacktestInput,
  SaveOptimizationInput,
  SaveWalkForwardInput,
  StoredFold,
  StoredGridRow,
  StoredRun,
  StoredTrade,
} from './runs-types.ts';

// Callers (cli/save-run, the dashboard) know runs by this module only.
export * from './runs-types.ts';
export type { Page } from './paging.ts';
export { downsampleEquity, MAX_EQUITY_POINTS } from './equity-downsample.ts';

/** Research runs (backtest, grid search, walk-forward): saved whole in one transaction, read back validated. */
export class RunsRepository {
  private readonly writer: RunWriter;
  private readonly reader: RunReader;

  constructor(private readonly store: Store) {
    this.writer = new RunWriter(store.db);
    this.reader = new RunReader(store.db);
  }

  saveBacktest(input: SaveBacktestInput): number {
    return this.writer.saveBacktest(input);
  }

  saveOptimization(input: SaveOptimizationInput): number {
    return this.writer.saveOptimization(input);
  }

  saveWalkForward(input: SaveWalkForwardInput): number {
    return this.writer.saveWalkForward(input);
  }

  /** Newest first. */
  listRuns(query: Page & { readonly kind?: RunKind }): RunSummary[] {
    return this.reader.listRuns(query);
  }

  countRuns(kind?: RunKind): number {
    return this.reader.countRuns(kind);
  }

  /** The whole run with its JSON parsed, or null when there is no run with that id. */
  getRun(id: number): StoredRun | null {
    return this.reader.getRun(id);
  }

  /** In the order they were saved; `fold` narrows a walk-forward run to one fold's test trades. */
  getRunTrades(id: number, query: Page & { readonly fold?: number }): StoredTrade[] {
    return this.reader.getRunTrades(id, query);
  }

  /** Rows of a grid search; by save order unless told otherwise. Unranked rows sort last by rank and sharpe. */
  getGridRows(id: number, orderBy: GridOrder = 'seq'): StoredGridRow[] {
    return this.reader.getGridRows(id, orderBy);
  }

  getFolds(id: number): StoredFold[] {
    return this.reader.getFolds(id);
  }

  /** Labels a run (the note shown in the list); null clears it. False when there is no such run. */
  setNote(id: number, note: string | null): boolean {
    return this.store.db.query<unknown, [string | null, number]>('UPDATE runs SET note = ? WHERE id = ?').run(note, id).changes > 0;
  }

  /** Deletes the run with its trades, grid rows and folds. False when there was no such run. */
  deleteRun(id: number): boolean {
    return this.store.db.query<unknown, [number]>('DELETE FROM runs WHERE id = ?').run(id).changes > 0;
  }
}
