import type { Metrics, Objective, Params } from '../domain/research.ts';

/**
 * Why a walk-forward fold's figures should not be trusted. The Sharpe and Sortino are daily
 * figures: fewer than MIN_TEST_SESSIONS sessions in the test part make them noise (a one-day fold
 * can show a Sharpe of −355); fewer test trades than the minimum used to rank the training sets
 * make every objective noise.
 */
export const MIN_TEST_SESSIONS = 20;

const DAILY: readonly Objective[] = ['sharpe', 'sortino'];

export function foldWarnings(
  fold: { readonly fold: number; readonly params: Params | null; readonly testMetrics: Metrics | null; readonly testSessions: number; readonly testHalted: boolean; readonly testSessionsHalted: number },
  objective: Objective,
  minTrades: number,
): string[] {
  const out: string[] = [];
  if (fold.params === null) return [`fold ${fold.fold}: no parameter set reached ${minTrades} trades in training; nothing was tested`];
  if (DAILY.includes(objective) && fold.testSessions < MIN_TEST_SESSIONS) {
    out.push(`fold ${fold.fold}: test part has ${fold.testSessions} session${fold.testSessions === 1 ? '' : 's'} (< ${MIN_TEST_SESSIONS}); its ${objective} is not meaningful`);
  }
  const trades = fold.testMetrics?.trades ?? 0;
  if (trades < minTrades) out.push(`fold ${fold.fold}: test part has ${trades} trade${trades === 1 ? '' : 's'} (< ${minTrades}, the minimum used in training)`);
  if (fold.testHalted) out.push(`fold ${fold.fold}: a halt stopped trading before the test part ended`);
  else if (fold.testSessionsHalted > 0) out.push(`fold ${fold.fold}: halts refused entries in ${fold.testSessionsHalted} test session${fold.testSessionsHalted === 1 ? '' : 's'}`);
  return out;
}
