import * as v from 'valibot';
import type { StoredGridRow, StoredRun } from '../view-models/research.ts';
import type { RunReport } from '../../research/run-report.ts';
import { BREAKDOWN_KINDS } from '../../research/breakdown.ts';
import type { StoredFold } from '../../app/research.ts';
import { csvCell } from '../http.ts';

/** Query schemas and CSV bodies of the research pages. */

const csrfField = { _csrf: v.optional(v.pipe(v.string(), v.maxLength(128))) };
export const LabelBody = v.object({ ...csrfField, label: v.pipe(v.string('expected a label field'), v.maxLength(200, 'expected a label of at most 200 characters')) }, 'expected a form with a label field');
export const DeleteBody = v.object({ ...csrfField, confirm: v.literal('yes', 'expected confirm: "yes" (deleting a run cannot be undone)') }, 'expected a body { "confirm": "yes" }');

export const TzQuery = v.object({ tz: v.optional(v.picklist(['utc', 'ny'], 'expected tz utc or ny'), 'utc') });

const runId = v.pipe(v.string(), v.regex(/^\d{1,9}$/, 'expected run ids (whole numbers)'), v.transform(Number), v.minValue(1, 'expected a run id ≥ 1'));
export const CompareQuery = v.object({
  ids: v.pipe(
    v.union([runId, v.array(runId)], 'expected ids=1&ids=2'),
    v.transform((x) => [...new Set(Array.isArray(x) ? x : [x])]),
    v.check((xs) => xs.length >= 2 && xs.length <= 8, 'select from 2 to 8 runs to compare'),
  ),
});

const line = (cells: readonly unknown[]) => cells.map((c) => csvCell(typeof c === 'boolean' ? String(c) : (c as string | number | null))).join(',');

const METRICS = ['trades', 'winRate', 'netPnl', 'grossProfit', 'grossLoss', 'profitFactor', 'expectancy', 'maxDrawdown', 'maxDrawdownPct', 'sharpe', 'sortino', 'avgHoldMinutes'] as const;

/** A run's results as CSV: grid rows (optimize), folds (walk-forward) or the metrics, then the breakdowns. */
export function resultsCsv(run: StoredRun, grid: readonly StoredGridRow[], folds: readonly StoredFold[]): string {
  const out: string[] = [];
  if (run.kind === 'optimize') {
    const keys = [...new Set(grid.flatMap((r) => Object.keys(r.params)))];
    out.push(line(['rank', ...keys, ...METRICS, 'halted', 'sessions_halted']));
    for (const r of grid) out.push(line([r.rank, ...keys.map((k) => r.params[k] ?? null), ...METRICS.map((k) => r.metrics[k]), r.halted ?? null, r.sessionsHalted ?? null]));
  } else if (run.kind === 'walkforward') {
    out.push(line(['fold', 'test_from', 'test_to', 'params', ...METRICS.map((k) => `test_${k}`), 'test_sessions', 'halted', 'warnings']));
    for (const f of folds) {
      const p = f.params ? Object.entries(f.params).map(([k, x]) => `${k}=${x}`).join(' ') : '';
      out.push(line([f.fold, new Date(f.test.from).toISOString(), new Date(f.test.to).toISOString(), p, ...METRICS.map((k) => f.testMetrics?.[k] ?? null), f.testSessions ?? null, f.testHalted ?? null, (f.warnings ?? []).join('; ')]));
    }
  } else {
    out.push(line(['metric', 'value']));
    for (const k of METRICS) out.push(line([k, run.metrics?.[k] ?? null]));
  }
  return `${out.join('\n')}\n${breakdownCsv(run.report)}`;
}

function breakdownCsv(report: RunReport | null): string {
  if (!report) return '';
  const rows = [line(['breakdown', 'key', 'trades', 'win_rate', 'net_pnl', 'gross_profit', 'gross_loss', 'profit_factor', 'avg_pnl'])];
  for (const k of BREAKDOWN_KINDS) {
    for (const g of report.breakdowns.groups[k]) rows.push(line([k, g.key, g.trades, g.winRate, g.netPnl, g.grossProfit, g.grossLoss, g.profitFactor, g.avgPnl]));
  }
  return `\n${rows.join('\n')}\n`;
}
