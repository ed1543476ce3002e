import * as v from 'valibot';
import type { RunReport } from '../research/run-report.ts';

/**
 * What a stored run report must hold to be read back. The report lives in `equity_json` next to
 * the drawn equity points (`{ points, report }`); runs saved before reports existed hold a bare
 * array of points there and read back with no report.
 */

const finite = v.pipe(v.number(), v.finite());
const maybe = v.nullable(finite);
const int = v.pipe(v.number(), v.integer());

const Group = v.object({ key: v.string(), trades: int, winRate: maybe, netPnl: finite, grossProfit: finite, grossLoss: finite, profitFactor: maybe, avgPnl: maybe });
const Groups = v.array(Group);
const Interval = v.object({ p5: finite, p50: finite, p95: finite });
const Method = v.nullable(v.object({ netPnl: Interval, maxDrawdown: Interval, lossProbability: finite }));

export const HaltSchema = v.object({ time: finite, reason: v.picklist(['drawdown', 'daily_loss']), detail: v.string(), clearedAt: maybe });

export const ReportSchema = v.object({
  breakdowns: v.object({
    groups: v.object({ exitReason: Groups, side: Groups, hour: Groups, weekday: Groups, session: Groups, week: Groups, month: Groups }),
    streaks: v.object({ longestWin: int, longestLoss: int, current: int }),
    exposure: v.object({ barsInMarket: int, totalBars: int, timeInMarket: finite, avgContracts: finite, maxContracts: finite }),
  }),
  halts: v.object({ halts: v.array(HaltSchema), sessionsHalted: int, haltedToEnd: v.boolean() }),
  price: v.nullable(
    v.object({
      barsPerCandle: int,
      candles: v.array(v.object({ time: finite, open: finite, high: finite, low: finite, close: finite })),
      trades: v.array(v.object({ side: v.picklist(['long', 'short']), entryTime: finite, entryPrice: finite, exitTime: finite, exitPrice: finite, exitReason: v.string(), stop: finite, target: finite, pnl: finite })),
      omittedTrades: int,
    }),
  ),
  monteCarlo: v.nullable(v.object({ seed: finite, paths: int, trades: Method, tradeOrder: Method, days: Method })),
  guards: v.nullable(
    v.object({
      dsr: v.object({ dsr: maybe, trials: int, sessions: int, sharpe: maybe, benchmarkSharpe: maybe, skew: maybe, kurtosis: maybe }),
      pbo: v.object({ pbo: maybe, groups: int, combinations: int, medianLogit: maybe }),
      stability: v.object({
        objective: v.string(),
        chosen: v.record(v.string(), finite),
        chosenValue: maybe,
        profiles: v.array(v.object({ param: v.string(), points: v.array(v.object({ value: finite, objective: maybe, trades: int, chosen: v.boolean() })) })),
        neighbours: int,
        neighbourMean: maybe,
        neighbourMin: maybe,
        retained: maybe,
      }),
    }),
  ),
  warnings: v.array(v.string()),
  rowHalts: v.optional(v.array(v.object({ halted: v.boolean(), sessionsHalted: int }))),
  folds: v.optional(v.array(v.object({ fold: int, testSessions: int, testHalted: v.boolean(), testSessionsHalted: int, warnings: v.array(v.string()) }))),
  foldsWithoutChoice: v.optional(int),
});

export const EquityPointsSchema = v.array(v.object({ time: finite, equity: finite }));

/** `equity_json`: a bare array (runs saved before reports) or `{ points, report }`. */
export const EquityColumnSchema = v.union([EquityPointsSchema, v.object({ points: EquityPointsSchema, report: v.nullable(ReportSchema) })]);

export type StoredReport = RunReport;
