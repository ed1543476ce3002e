import { availableParallelism } from 'node:os';
import { shareSeries } from '../domain/bar.ts';
import { gridEvaluator, type GridJob } from './grid-job.ts';
import type { Metrics, Params } from './types.ts';

export interface GridSearchOptions {
  /** Worker threads; 0 evaluates in this thread. Default: one per core. */
  readonly workers?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Backtests every parameter set over the same bars, in parallel on Bun Workers that read the bars
 * from shared memory. Sets are handed out one at a time (the fastest worker takes the next), in
 * grid order, so sets sharing an indicator column tend to land on a worker that already has it.
 * Results come back in the order of `paramSets`.
 */
export async function gridSearch(job: GridJob, paramSets: readonly Params[], opts: GridSearchOptions = {}): Promise<Metrics[]> {
  const total = paramSets.length;
  const workers = Math.min(opts.workers ?? availableParallelism(), total);
  if (workers <= 0) {
    const evaluate = gridEvaluator(job);
    return paramSets.map((p, i) => {
      const m = evaluate(p);
      opts.onProgress?.(i + 1, total);
      return m;
    });
  }
  const shared: GridJob = { ...job, series: shareSeries(job.series) };
  const results = new Array<Metrics>(total);
  let next = 0;
  let done = 0;
  const pool = Array.from({ length: workers }, () => new Worker(new URL('./grid-worker.ts', import.meta.url).href));
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (w: Worker) => {
        if (next < total) {
          const index = next++;
          w.postMessage({ type: 'task', index, params: paramSets[index] });
        }
      };
      for (const w of pool) {
        w.onmessage = (e: MessageEvent<{ type: 'result'; index: number; metrics: Metrics } | { type: 'error'; index: number; message: string }>) => {
          const msg = e.data;
          if (msg.type === 'error') {
            reject(new Error(`parameter set ${JSON.stringify(paramSets[msg.index])}: ${msg.message}`));
            return;
          }
          results[msg.index] = msg.metrics;
          done++;
          opts.onProgress?.(done, total);
          if (done === total) resolve();
          else feed(w);
        };
        w.onerror = (e) => reject(new Error(`grid worker failed: ${e.message}`));
        w.postMessage({ type: 'job', job: shared });
        feed(w);
      }
    });
  } finally {
    for (const w of pool) w.terminate();
  }
  return results;
}
