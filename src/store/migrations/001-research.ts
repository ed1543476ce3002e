import type { Migration } from '../migration.ts';

/**
 * Research runs (backtest, grid search, walk-forward) kept so the dashboard can list and show them.
 *
 * Tables are STRICT so a float that reaches a `*_cents` column is rejected instead of silently
 * stored: money in cents must stay integral. Child tables are WITHOUT ROWID with a primary key
 * that starts with `run_id`, so each run's rows sit together on disk (that key is also the
 * "trades by run" index) and inserts in `seq` order only ever append.
 */
export const research: Migration = {
  version: 1,
  name: 'research runs',
  up: `
    CREATE TABLE runs (
      id            INTEGER PRIMARY KEY,
      kind          TEXT    NOT NULL CHECK (kind IN ('backtest', 'optimize', 'walkforward')),
      created_at    INTEGER NOT NULL,
      strategy      TEXT    NOT NULL,
      params_json   TEXT    NOT NULL,
      settings_json TEXT    NOT NULL,
      data_source   TEXT    NOT NULL,
      bars          INTEGER NOT NULL,
      from_time     INTEGER NOT NULL,
      to_time       INTEGER NOT NULL,
      objective     TEXT,
      metrics_json  TEXT,
      equity_json   TEXT    NOT NULL,
      status        TEXT    NOT NULL CHECK (status IN ('done', 'failed')),
      note          TEXT
    ) STRICT;

    -- id breaks ties between runs saved in the same millisecond so paging is stable.
    CREATE INDEX runs_by_created ON runs (created_at DESC, id DESC);
    CREATE INDEX runs_by_kind_created ON runs (kind, created_at DESC, id DESC);

    -- A fold's folds row exists before its trades; the composite key keeps a trade from
    -- pointing at a fold the run does not have. NULL fold (backtest, optimize) skips the check.
    CREATE TABLE run_folds (
      run_id             INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      fold               INTEGER NOT NULL,
      train_from         INTEGER NOT NULL,
      train_to           INTEGER NOT NULL,
      train_bars         INTEGER NOT NULL,
      test_from          INTEGER NOT NULL,
      test_to            INTEGER NOT NULL,
      test_bars          INTEGER NOT NULL,
      params_json        TEXT,
      train_metrics_json TEXT,
      test_metrics_json  TEXT,
      PRIMARY KEY (run_id, fold)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE run_trades (
      run_id           INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      seq              INTEGER NOT NULL,
      fold             INTEGER,
      side             TEXT    NOT NULL CHECK (side IN ('long', 'short')),
      qty              INTEGER NOT NULL,
      entry_time       INTEGER NOT NULL,
      entry_price      REAL    NOT NULL,
      exit_time        INTEGER NOT NULL,
      exit_price       REAL    NOT NULL,
      exit_reason      TEXT    NOT NULL,
      commission_cents INTEGER NOT NULL,
      pnl_cents        INTEGER NOT NULL,
      PRIMARY KEY (run_id, seq),
      FOREIGN KEY (run_id, fold) REFERENCES run_folds (run_id, fold) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID;

    -- Serves paging one walk-forward fold's trades and the foreign-key lookups from run_folds.
    CREATE INDEX run_trades_by_fold ON run_trades (run_id, fold, seq);

    CREATE TABLE run_grid_rows (
      run_id        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      seq           INTEGER NOT NULL,
      params_json   TEXT    NOT NULL,
      metrics_json  TEXT    NOT NULL,
      rank          INTEGER,
      sharpe        REAL,
      net_pnl_cents INTEGER NOT NULL,
      trades        INTEGER NOT NULL,
      PRIMARY KEY (run_id, seq)
    ) STRICT, WITHOUT ROWID;
  `,
};
