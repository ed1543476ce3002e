import type { Database, SQLQueryBindings, Statement } from 'bun:sqlite';
import type { EquityPoint, Metrics, Objective } from '../domain/research.ts';
import { toCents } from '../domain/money.ts';
import type { Trade } from '../domain/trading.ts';
import { downsampleEquity } from './equity-downsample.ts';
import { nullableJson, toJson } from './json-columns.ts';
import type { RunReport } from '../research/run-report.ts';
import type { RunContext, RunKind, RunStatus, SaveBacktestInput, SaveOptimizationInput, SaveWalkForwardInput, SpanOfBars } from './runs-types.ts';

// A type alias, not an interface: only aliases are assignable to the bindings' index signature.
type NewRun = {
  kind: RunKind;
  created_at: number;
  strategy: string;
  params_json: string;
  settings_json: string;
  data_source: string;
  bars: number;
  from_time: number;
  to_time: number;
  objective: Objective | null;
  metrics_json: string | null;
  equity_json: string;
  status: RunStatus;
  note: string | null;
};

type RunFields = Omit<SpanOfBars, 'objective'> & {
  objective: Objective | null;
  params: unknown;
  metrics: Metrics | null;
  equity: readonly EquityPoint[];
};

/** Saves research runs; each save is one transaction, so a crash mid-save leaves no half run. */
export class RunWriter {
  private readonly db: Database;
  private readonly insertRun: Statement<{ id: number }, [NewRun]>;
  private readonly insertTrade: Statement<unknown, SQLQueryBindings[]>;
  private readonly insertGridRow: Statement<unknown, SQLQueryBindings[]>;
  private readonly insertFold: Statement<unknown, SQLQueryBindings[]>;

  constructor(db: Database) {
    this.db = db;
    this.insertRun = db.prepare(
      `INSERT INTO runs (kind, created_at, strategy, params_json, settings_json, data_source, bars, from_time, to_time,
         objective, metrics_json, equity_json, status, note)
       VALUES ($kind, $created_at, $strategy, $params_json, $settings_json, $data_source, $bars, $from_time, $to_time,
         $objective, $metrics_json, $equity_json, $status, $note)
       RETURNING id`,
    );
    this.insertTrade = db.prepare(
      `INSERT INTO run_trades (run_id, seq, fold, side, qty, entry_time, entry_price, exit_time, exit_price, exit_reason,
         commission_cents, pnl_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertGridRow = db.prepare(
      `INSERT INTO run_grid_rows (run_id, seq, params_json, metrics_json, rank, sharpe, net_pnl_cents, trades)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertFold = db.prepare(
      `INSERT INTO run_folds (run_id, fold, train_from, train_to, train_bars, test_from, test_to, test_bars,
         params_json, train_metrics_json, test_metrics_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  saveBacktest(input: SaveBacktestInput): number {
    const { result } = input;
    const run = newRun(input, 'backtest', {
      strategy: result.run.strategy,
      bars: result.run.bars,
      from: result.run.from,
      to: result.run.to,
      objective: null,
      params: result.run.params,
      metrics: result.metrics,
      equity: input.curve ?? result.equity,
    });
    return this.write(() => {
      const id = this.addRun(run);
      this.addTrades(id, result.trades, null, 0);
      return id;
    });
  }

  saveOptimization(input: SaveOptimizationInput): number {
    const { best } = input;
    const run = newRun(input, 'optimize', {
      ...input,
      params: { grid: input.gridSpec, minTrades: input.minTrades, bestParams: best?.run.params ?? null },
      metrics: best?.metrics ?? null,
      equity: input.curve ?? best?.equity ?? [],
    }, input.report ? { ...input.report, rowHalts: input.rows.map((r) => ({ halted: r.halted ?? false, sessionsHalted: r.sessionsHalted ?? 0 })) } : input.report);
    const rows = input.rows.map((r, seq) => ({
      seq,
      params: toJson(r.params, 'run_grid_rows.params_json'),
      metrics: toJson(r.metrics, 'run_grid_rows.metrics_json'),
      rank: r.rank,
      sharpe: r.metrics.sharpe,
      netPnlCents: toCents(r.metrics.netPnl),
      trades: r.metrics.trades,
    }));
    return this.write(() => {
      const id = this.addRun(run);
      for (const r of rows) this.insertGridRow.run(id, r.seq, r.params, r.metrics, r.rank, r.sharpe, r.netPnlCents, r.trades);
      if (best) this.addTrades(id, best.trades, null, 0);
      return id;
    });
  }

  saveWalkForward(input: SaveWalkForwardInput): number {
    const run = newRun(input, 'walkforward', {
      ...input,
      params: input.spec,
      metrics: input.aggregate.metrics,
      equity: input.curve ?? input.aggregate.equity,
    }, input.report ? { ...input.report, folds: input.folds.map((f) => ({ fold: f.fold, testSessions: f.testSessions ?? 0, testHalted: f.testHalted ?? false, testSessionsHalted: f.testSessionsHalted ?? 0, warnings: f.warnings ?? [] })) } : input.report);
    const folds = input.folds.map((f) => ({
      ...f,
      paramsJson: nullableJson(f.params, 'run_folds.params_json'),
      trainJson: nullableJson(f.trainMetrics, 'run_folds.train_metrics_json'),
      testJson: nullableJson(f.testMetrics, 'run_folds.test_metrics_json'),
    }));
    return this.write(() => {
      const id = this.addRun(run);
      // Folds first: a trade's (run_id, fold) must name an existing fold row.
      for (const f of folds) {
        this.insertFold.run(id, f.fold, f.train.from, f.train.to, f.train.bars, f.test.from, f.test.to, f.test.bars, f.paramsJson, f.trainJson, f.testJson);
      }
      let seq = 0;
      for (const f of folds) seq = this.addTrades(id, f.testTrades, f.fold, seq);
      return id;
    });
  }

  // IMMEDIATE takes the write lock up front: a deferred transaction that later needs it can fail
  // with SQLITE_BUSY at once, without waiting out busy_timeout, when another process is writing.
  private write(save: () => number): number {
    return this.db.transaction(save).immediate();
  }

  private addRun(run: NewRun): number {
    const row = this.insertRun.get(run);
    if (!row) throw new Error('INSERT INTO runs returned no id');
    return row.id;
  }

  /** Returns the next free seq. */
  private addTrades(runId: number, trades: readonly Trade[], fold: number | null, firstSeq: number): number {
    let seq = firstSeq;
    for (const t of trades) {
      this.insertTrade.run(runId, seq++, fold, t.side, t.qty, t.entryTime, t.entryPrice, t.exitTime, t.exitPrice, t.exitReason, t.commissionCents, t.pnlCents);
    }
    return seq;
  }
}

// Serialising happens before the transaction opens, so the write lock is held only for inserts.
function newRun(ctx: RunContext, kind: RunKind, run: RunFields, report: RunReport | null | undefined = ctx.report): NewRun {
  const points = downsampleEquity(run.equity);
  // Without a report the column keeps its original shape, a bare array of points.
  const equity = report ? { points, report } : points;
  return {
    kind,
    created_at: ctx.createdAt,
    strategy: run.strategy,
    params_json: toJson(run.params, 'params_json'),
    settings_json: toJson(ctx.settings, 'settings_json'),
    data_source: ctx.dataSource,
    bars: run.bars,
    from_time: run.from,
    to_time: run.to,
    objective: run.objective,
    metrics_json: nullableJson(run.metrics, 'metrics_json'),
    equity_json: toJson(equity, 'equity_json'),
    status: 'done',
    note: ctx.note ?? null,
  };
}
