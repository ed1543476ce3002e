import * as v from 'valibot';
import type { Database } from 'bun:sqlite';
import type { Objective } from '../domain/research.ts';
import { checkPage, type Page } from './paging.ts';
import type { RunReport } from '../research/run-report.ts';
import { EquityColumnSchema } from './runs-report-schema.ts';
import {
  AnyJson,
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
  params_json: string;
  halted: number | null;
  sessions_halted: number | null;
}

interface FullRunRow extends RunRow {
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

// Halts come out of the stored report without parsing it in JavaScript: a list page reads only these.
const SUMMARY_COLUMNS = `id, kind, created_at, strategy, bars, from_time, to_time, objective, status, note, metrics_json, params_json,
  CASE WHEN json_valid(equity_json) THEN json_extract(equity_json, '$.report.halts.haltedToEnd') END AS halted,
  CASE WHEN json_valid(equity_json) THEN json_extract(equity_json, '$.report.halts.sessionsHalted') END AS sessions_halted`;
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
        `SELECT ${SUMMARY_COLUMNS}, settings_json, data_source, equity_json,
           (SELECT count(*) FROM run_trades t WHERE t.run_id = runs.id) AS trade_count FROM runs WHERE id = ?`,
      )
      .get(id);
    if (!row) return null;
    const column = readRunJson(EquityColumnSchema, row.equity_json, id, 'equity_json');
    const common = {
      ...toSummary(row),
      dataSource: row.data_source,
      settings: readRunJson(SettingsSchema, row.settings_json, id, 'settings_json'),
      equity: Array.isArray(column) ? column : column.points,
      report: Array.isArray(column) ? null : (column.report as RunReport | null),
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
    const halts = this.reportPart(id, '$.report.rowHalts', RowHaltsSchema);
    return rows.map((r) => {
      const h = halts?.[r.seq];
      return {
        seq: r.seq,
        params: readRunJson(ParamsSchema, r.params_json, id, `run_grid_rows[${r.seq}].params_json`),
        metrics: readRunJson(MetricsSchema, r.metrics_json, id, `run_grid_rows[${r.seq}].metrics_json`),
        rank: r.rank,
        ...(h ? { halted: h.halted, sessionsHalted: h.sessionsHalted } : {}),
      };
    });
  }

  /** One part of a run's stored report, extracted by SQLite; null when the run has no report or no such part. */
  private reportPart<S extends v.GenericSchema>(id: number, path: string, schema: S): v.InferOutput<S> | null {
    const row = this.db.query<{ part: string | null }, [string, number]>('SELECT CASE WHEN json_valid(equity_json) THEN json_extract(equity_json, ?) END AS part FROM runs WHERE id = ?').get(path, id);
    return row?.part == null ? null : readRunJson(schema, row.part, id, `equity_json ${path}`);
  }

  getFolds(id: number): StoredFold[] {
    const rows = this.db
      .query<FoldRow, [number]>(
        `SELECT f.*, (SELECT count(*) FROM run_trades t WHERE t.run_id = f.run_id AND t.fold = f.fold) AS test_trade_count
         FROM run_folds f WHERE f.run_id = ? ORDER BY f.fold`,
      )
      .all(id);
    const extras = this.reportPart(id, '$.report.folds', FoldExtrasSchema);
    return rows.map((r) => {
      const where = `run_folds[${r.fold}]`;
      const extra = extras?.find((e) => e.fold === r.fold);
      return {
        ...(extra ? { testSessions: extra.testSessions, testHalted: extra.testHalted, testSessionsHalted: extra.testSessionsHalted, warnings: extra.warnings } : {}),
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

const RowHaltsSchema = v.array(v.object({ halted: v.boolean(), sessionsHalted: v.number() }));
const FoldExtrasSchema = v.array(v.object({ fold: v.number(), testSessions: v.number(), testHalted: v.boolean(), testSessionsHalted: v.number(), warnings: v.array(v.string()) }));

function paramsText(kind: RunKind, json: string): string {
  try {
    const p: unknown = JSON.parse(json);
    const flat = (x: unknown) => (x && typeof x === 'object' ? Object.entries(x).map(([k, val]) => `${k}=${Array.isArray(val) ? val.join(',') : String(val)}`).join(' ') : '');
    if (kind === 'backtest') return flat(p);
    if (kind === 'optimize') return flat((p as { bestParams?: unknown }).bestParams);
    return flat((p as { grid?: unknown }).grid);
  } catch {
    return '';
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
    paramsText: paramsText(row.kind, row.params_json),
    halted: row.halted === null ? null : row.halted === 1,
    sessionsHalted: row.sessions_halted,
  };
}
