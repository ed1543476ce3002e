import type { Repositories } from '../store/repositories.ts';
import type { GridOrder, RunKind, RunSummary, StoredFold, StoredGridRow, StoredRun, StoredTrade } from '../store/runs.ts';

export type { Metrics, EquityPoint, Params, Objective } from '../domain/research.ts';
export type { RunKind, RunSummary, StoredFold, StoredGridRow, StoredRun, StoredTrade } from '../store/runs.ts';
export { downsampleEquity, MAX_EQUITY_POINTS } from '../store/runs.ts';

/** The research half of the store: what the dashboard's backtest pages read; with the audit table, label and delete are recorded there. */
export type ResearchStore = Pick<Repositories, 'runs'> & Partial<Pick<Repositories, 'audit'>>;

export interface ResearchChange {
  readonly ok: boolean;
  readonly message: string;
}

/** Who asked, for the audit table (never a token). */
export interface ResearchSource {
  readonly channel: 'web' | 'telegram' | 'cli';
  readonly principal: string;
}

function audited(repos: ResearchStore, now: () => number, source: ResearchSource, command: string, args: Record<string, unknown>, result: ResearchChange): ResearchChange {
  repos.audit?.append({ time: now(), source: source.channel, principal: source.principal, command, args, ok: result.ok, result });
  return result;
}

/** Sets or clears a run's label (its note). */
export function labelRun(repos: ResearchStore, now: () => number, source: ResearchSource, id: number, label: string): ResearchChange {
  const note = label.trim() === '' ? null : label.trim();
  const ok = repos.runs.setNote(id, note);
  return audited(repos, now, source, 'labelRun', { id, label: note }, ok ? { ok, message: note === null ? `run #${id}: label cleared` : `run #${id} labelled` } : { ok, message: `no stored run #${id}` });
}

/** Deletes a run with its trades, grid rows and folds. */
export function deleteRun(repos: ResearchStore, now: () => number, source: ResearchSource, id: number): ResearchChange {
  const ok = repos.runs.deleteRun(id);
  return audited(repos, now, source, 'deleteRun', { id }, ok ? { ok, message: `run #${id} deleted` } : { ok, message: `no stored run #${id}` });
}

export interface RunPage {
  readonly total: number;
  readonly runs: RunSummary[];
}

/** Newest first, with the total so a page can say "21–40 of 63". */
export function listRuns(repos: ResearchStore, page: { limit: number; offset: number; kind?: RunKind }): RunPage {
  const query = page.kind ? { limit: page.limit, offset: page.offset, kind: page.kind } : { limit: page.limit, offset: page.offset };
  return { total: repos.runs.countRuns(page.kind), runs: repos.runs.listRuns(query) };
}

export function getRun(repos: ResearchStore, id: number): StoredRun | null {
  return repos.runs.getRun(id);
}

/** A page of a run's trades; `fold` narrows a walk-forward run to one fold's test trades. */
export function runTrades(repos: ResearchStore, id: number, page: { limit: number; offset: number; fold?: number }): StoredTrade[] {
  return repos.runs.getRunTrades(id, page.fold === undefined ? { limit: page.limit, offset: page.offset } : page);
}

export function gridRows(repos: ResearchStore, id: number, orderBy: GridOrder = 'seq'): StoredGridRow[] {
  return repos.runs.getGridRows(id, orderBy);
}

export function folds(repos: ResearchStore, id: number): StoredFold[] {
  return repos.runs.getFolds(id);
}

/** The functions above bound to one store, as the dashboard (and a facade) would hold them. `now` stamps the audit rows. */
export function createResearch(repos: ResearchStore, now: () => number = Date.now) {
  return {
    labelRun: (source: ResearchSource, id: number, label: string) => labelRun(repos, now, source, id, label),
    deleteRun: (source: ResearchSource, id: number) => deleteRun(repos, now, source, id),
    listRuns: (page: { limit: number; offset: number; kind?: RunKind }) => listRuns(repos, page),
    getRun: (id: number) => getRun(repos, id),
    runTrades: (id: number, page: { limit: number; offset: number; fold?: number }) => runTrades(repos, id, page),
    gridRows: (id: number, orderBy?: GridOrder) => gridRows(repos, id, orderBy),
    folds: (id: number) => folds(repos, id),
  };
}

export type Research = ReturnType<typeof createResearch>;
