import type { HaltRecord } from '../backtest/halt-summary.ts';
import type { RunReport } from './run-report.ts';

/** The report's part of a research command's `--json` document: ISO-8601 UTC times, dollars as numbers. */

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const haltJson = (h: HaltRecord) => ({ time: iso(h.time), reason: h.reason, detail: h.detail, clearedAt: iso(h.clearedAt) });

/** Everything but the price chart (the dashboard draws it; a script has the trades). */
export function reportJson(r: RunReport) {
  return {
    halted: r.halts.haltedToEnd,
    sessionsHalted: r.halts.sessionsHalted,
    halts: r.halts.halts.map(haltJson),
    breakdowns: r.breakdowns,
    monteCarlo: r.monteCarlo,
    ...(r.guards ? { guards: r.guards } : {}),
    warnings: r.warnings,
  };
}
