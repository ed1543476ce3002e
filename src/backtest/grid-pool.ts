import { shareSeries, type BarSeries } from '../domain/bar.ts';
import { gridEvaluator, type GridJob, type Trial, type TrialResult } from './grid-job.ts';
import type { FromWorker, ToWorker } from './grid-worker.ts';

/**
 * Bun Workers kept across grid calls and walk-forward folds: started once, sent each series once
 * (in shared memory), so their JIT stays warm and their bars stay put. Trials are handed out one
 * at a time (the fastest worker takes the next) in grid order, so trials sharing an indicator
 * column tend to land on a worker that already has it. Size 0 evaluates in the calling thread.
 */
export class GridPool {
  private readonly workers: Worker[];
  private readonly sent = new WeakMap<BarSeries, number>();
  private readonly shared = new WeakMap<BarSeries, BarSeries>();
  private nextId = 1;
  private busy = false;

  constructor(readonly size: number) {
    this.workers = Array.from({ length: size }, () => new Worker(new URL('./grid-worker.ts', import.meta.url).href));
  }

  async run(job: GridJob, trials: readonly Trial[], onProgress?: (done: number, total: number) => void): Promise<TrialResult[]> {
    const total = trials.length;
    if (this.size === 0 || total === 0) {
      const evaluate = gridEvaluator(job);
      return trials.map((t, i) => {
        const r = evaluate(t);
        onProgress?.(i + 1, total);
        return r;
      });
    }
    if (this.busy) throw new Error('GridPool.run called while another run is in progress');
    this.busy = true;
    try {
      return await this.dispatch(job, trials, onProgress);
    } finally {
      this.busy = false;
    }
  }

  close(): void {
    for (const w of this.workers) w.terminate();
  }

  private seriesId(series: BarSeries): number {
    let id = this.sent.get(series);
    if (id === undefined) {
      id = this.nextId++;
      const copy = shareSeries(series);
      this.sent.set(series, id);
      this.shared.set(series, copy);
      for (const w of this.workers) w.postMessage({ type: 'series', id, series: copy } satisfies ToWorker);
    }
    return id;
  }

  private dispatch(job: GridJob, trials: readonly Trial[], onProgress?: (done: number, total: number) => void): Promise<TrialResult[]> {
    const total = trials.length;
    const seriesId = this.seriesId(job.series);
    const jobId = this.nextId++;
    const { series: _bars, ...rest } = job;
    const results = new Array<TrialResult>(total);
    let next = 0;
    let done = 0;
    return new Promise<TrialResult[]>((resolve, reject) => {
      const feed = (w: Worker) => {
        if (next < total) {
          const index = next++;
          w.postMessage({ type: 'task', jobId, index, trial: trials[index]! } satisfies ToWorker);
        }
      };
      for (const w of this.workers) {
        w.onmessage = (e: MessageEvent<FromWorker>) => {
          const msg = e.data;
          if (msg.type === 'error') {
            reject(new Error(`parameter set ${JSON.stringify(trials[msg.index]?.params)}: ${msg.message}`));
            return;
          }
          results[msg.index] = msg.result;
          done++;
          onProgress?.(done, total);
          if (done === total) resolve(results);
          else feed(w);
        };
        w.onerror = (e) => reject(new Error(`grid worker failed: ${e.message}`));
        w.postMessage({ type: 'job', id: jobId, seriesId, job: rest } satisfies ToWorker);
        feed(w);
      }
    });
  }
}
