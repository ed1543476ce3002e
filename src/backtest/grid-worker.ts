/// <reference lib="webworker" />
import type { BarSeries } from '../domain/bar.ts';
import { gridEvaluator, type GridJob, type Trial, type TrialResult } from './grid-job.ts';

/**
 * Worker side of the grid pool. It keeps the bars it was sent (by id) and the evaluator of the
 * current job across calls, so a later grid call or walk-forward fold on the same bars costs
 * neither a copy nor a cold start.
 */
declare const self: Worker;

export type ToWorker =
  | { type: 'series'; id: number; series: BarSeries }
  | { type: 'job'; id: number; seriesId: number; job: Omit<GridJob, 'series'> }
  | { type: 'task'; jobId: number; index: number; trial: Trial };

export type FromWorker = { type: 'result'; index: number; result: TrialResult } | { type: 'error'; index: number; message: string };

const seriesById = new Map<number, BarSeries>();
let current: { id: number; evaluate: (t: Trial) => TrialResult } | null = null;

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.type === 'series') {
    seriesById.set(msg.id, msg.series);
    return;
  }
  if (msg.type === 'job') {
    const series = seriesById.get(msg.seriesId);
    if (!series) throw new Error(`grid worker has no series #${msg.seriesId}`);
    current = { id: msg.id, evaluate: gridEvaluator({ ...msg.job, series }) };
    return;
  }
  try {
    if (!current || current.id !== msg.jobId) throw new Error('grid worker received a task before its job');
    self.postMessage({ type: 'result', index: msg.index, result: current.evaluate(msg.trial) } satisfies FromWorker);
  } catch (e) {
    self.postMessage({ type: 'error', index: msg.index, message: e instanceof Error ? e.message : String(e) } satisfies FromWorker);
  }
};
