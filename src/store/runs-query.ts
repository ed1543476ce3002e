import type { Database } from 'bun:sqlite';
import type { Objective } from '../backtest/types.ts';
import { checkPage, type Page } from './paging.ts';
import {
  AnyJson,
  EquitySchema,
  MetricsSchema,
  OptimizeSpecSchema,
  ParamsSchema,
  readNullableRunJson,
  readRunJson,
  SettingsSchema,
} from './runs-schemas.ts';
import type { GridOrder, RunKind, RunStatus, RunSummary, StoredFold, StoredGridRow, StoredRun, StoredTrade } from './runs-types.ts';

interface RunRow {
  id: number;
  kind: RunKind;
  created_at: number;
  strategy: string;
  bars: number;
  from_time: number;
  to_time: number;
  objective: Objective | null;
  status: RunStatus;
  note: string | null;
  metrics_json: string | null;
}

interface FullRunRow extends RunRow {
  params_json: string;
  settings_json: string;
  data_source: string;
  equity_json: string;
  trade_count: number;
}

interface GridRowRow {
  seq: number;
  params_json: string;
  metrics_json: string;
  rank: number | null;
}

interface FoldRow {
  fold: number;
  train_from: number;
  train_to: number;
  train_bars: number;
  test_from: number;
  test_to: number;
  test_bars: number;
  params_json: string | null;
  train_metrics_json: string | null;
  test_metrics_json: string | null;
  test_trade_count: number;
}

const SUMMARY_COLUMNS = 'id, kind, created_at, strategy, bars, from_time, to_time, objective, status, note, metrics_json';
// Aliased to the Trade field names so rows come back as StoredTrade without a per-row copy.
const TRADE_COLUMNS = `seq, fold, side, qty, entry_time AS entryTime, entry_price AS entryPrice, exit_time AS exitTime,
  exit_price AS exitPrice, exit_reason AS exitReason, commission_cents AS commissionCents, pnl_cents AS pnlCents`;
const GRID_ORDER: Record<GridOrder, string> = {
  seq: 'seq',
  rank: 'rank IS NULL, rank, seq',
  sharpe: 'sharpe IS NULL, sharpe DESC, seq',
  netPnl: 'net_pnl_cents DESC, seq',
  trades: 'trades DESC, seq',
};

/** Reads research runs back, JSON columns validated so a damaged row names itself. */
export class RunReader {
  constructor(private readonly db: Database) {}

  listRuns(query: Page & { readonly kind?: RunKind }): RunSummary[] {
    const { limit, offset } = checkPage(query);
    const rows = query.kind
      ? this.db
          .query<RunRow, [RunKind, number, number]>(
            `SELECT ${SUMMARY_COLUMNS} FROM runs WHERE kind = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
          )
          .all(query.kind, limit, offset)
      : this.db
          .query<RunRow, [number, number]>(`SELECT ${SUMMARY_COLUMNS} FROM runs ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`)
          .all(limit, offset);
    return rows.map(toSummary);
  }

  countRuns(kind?: RunKind): number {
    const row = kind
      ? this.db.query<{ n: number }, [RunKind]>('SELECT count(*) AS n FROM runs WHERE kind = ?').get(kind)
      : this.db.query<{ n: number }, []>('SELECT count(*) AS n FROM runs').get();
    return row?.n ?? 0;
  }

  getRun(id: number): StoredRun | null {
    const row = this.db
      .query<FullRunRow, [number]>(
        `SELECT runs.*, (SELECT count(*) FROM run_trades t WHERE t.run_id = runs.id) AS trade_count FROM runs WHERE id = ?`,
      )
      .get(id);
    if (!row) return null;
    const common = {
      ...toSummary(row),
      dataSource: row.data_source,
      settings: readRunJson(SettingsSchema, row.settings_json, id, 'settings_json'),
      equity: readRunJson(EquitySchema, row.equity_json, id, 'equity_json'),
      tradeCount: row.trade_count,
    };
    switch (row.kind) {
      case 'backtest':
        return { ...common, kind: 'backtest', params: readRunJson(ParamsSchema, row.params_json, id, 'params_json') };
      case 'optimize': {
        const spec = readRunJson(OptimizeSpecSchema, row.params_json, id, 'params_json');
        return { ...common, kind: 'optimize', gridSpec: spec.grid, minTrades: spec.minTrades, bestParams: spec.bestParams };
      }
      case 'walkforward':
        return { ...common, kind: 'walkforward', spec: readRunJson(AnyJson, row.params_json, id, 'params_json') };
    }
  }

  getRunTrades(id: number, query: Page & { readonly fold?: number }): StoredTrade[] {
    const { limit, offset } = checkPage(query);
    if (query.fold === undefined) {
      return this.db
        .query<StoredTrade, [number, number, number]>(`SELECT ${TRADE_COLUMNS} FROM run_trades WHERE run_id = ? ORDER BY seq LIMIT ? OFFSET ?`)
        .all(id, limit, offset);
    }
    return this.db
      .query<StoredTrade, [number, number, number, number]>(
        `SELECT ${TRADE_COLUMNS} FROM run_trades WHERE run_id = ? AND fold = ? ORDER BY seq LIMIT ? OFFSET ?`,
      )
      .all(id, query.fold, limit, offset);
  }

  getGridRows(id: number, orderBy: GridOrder = 'seq'): StoredGridRow[] {
    const rows = this.db
      .query<GridRowRow, [number]>(`SELECT seq, params_json, metrics_json, rank FROM run_grid_rows WHERE run_id = ? ORDER BY ${GRID_ORDER[orderBy]}`)
      .all(id);
    return rows.map((r) => ({
      seq: r.seq,
      params: readRunJson(ParamsSchema, r.params_json, id, `run_grid_rows[${r.seq}].params_json`),
      metrics: readRunJson(MetricsSchema, r.metrics_json, id, `run_grid_rows[${r.seq}].metrics_json`),
      rank: r.rank,
    }));
  }

  getFolds(id: number): StoredFold[] {
    const rows = this.db
      .query<FoldRow, [number]>(
        `SELECT f.*, (SELECT count(*) FROM run_trades t WHERE t.run_id = f.run_id AND t.fold = f.fold) AS test_trade_count
         FROM run_folds f WHERE f.run_id = ? ORDER BY f.fold`,
      )
      .all(id);
    return rows.map((r) => {
      const where = `run_folds[${r.fold}]`;
      return {
        fold: r.fold,
        train: { from: r.train_from, to: r.train_to, bars: r.train_bars },
        test: { from: r.test_from, to: r.test_to, bars: r.test_bars },
        params: readNullableRunJson(ParamsSchema, r.params_json, id, `${where}.params_json`),
        trainMetrics: readNullableRunJson(MetricsSchema, r.train_metrics_json, id, `${where}.train_metrics_json`),
        testMetrics: readNullableRunJson(MetricsSchema, r.test_metrics_json, id, `${where}.test_metrics_json`),
        testTradeCount: r.test_trade_count,
      };
    });
  }
}

function toSummary(row: RunRow): RunSummary {
  return {
    id: row.id,
    kind: row.kind,
    createdAt: row.created_at,
    strategy: row.strategy,
    bars: row.bars,
    from: row.from_time,
    to: row.to_time,
    objective: row.objective,
    status: row.status,
    note: row.note,
    metrics: readNullableRunJson(MetricsSchema, row.metrics_json, row.id, 'metrics_json'),
  };
}
