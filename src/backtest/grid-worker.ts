/// <reference lib="webworker" />
import { gridEvaluator, type GridJob } from './grid-job.ts';
import type { Params } from './types.ts';

/** Worker side of the grid search: receives the job once, then parameter sets one at a time. */
declare const self: Worker;

type Message = { type: 'job'; job: GridJob } | { type: 'task'; index: number; params: Params };

let evaluate: ((params: Params) => unknown) | null = null;

self.onmessage = (event: MessageEvent<Message>) => {
  const msg = event.data;
  if (msg.type === 'job') {
    evaluate = gridEvaluator(msg.job);
    return;
  }
  try {
    if (!evaluate) throw new Error('grid worker received a task before its job');
    self.postMessage({ type: 'result', index: msg.index, metrics: evaluate(msg.params) });
  } catch (e) {
    self.postMessage({ type: 'error', index: msg.index, message: e instanceof Error ? e.message : String(e) });
  }
};
