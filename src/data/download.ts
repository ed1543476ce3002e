import { seriesFromBars, type Bar } from '../domain/bar.ts';
import { segmentAt } from '../market/calendar.ts';
import type { BarsRepository } from '../store/bars.ts';
import { rollTime } from './continuous.ts';
import { quarterliesCovering, type DatedContract } from './contracts.ts';
import { PacingRules } from './pacing.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;

export interface HistoryRequest {
  readonly contract: DatedContract;
  /** The end of the session asked for (UTC ms) and how far back from it. */
  readonly endMs: number;
  readonly durationMs: number;
}

export type HistoryAnswer = { readonly kind: 'bars'; readonly bars: readonly Bar[] } | { readonly kind: 'noData'; readonly message: string } | { readonly kind: 'pacing'; readonly message: string };

/** Where history comes from: IB (src/broker/ib/history-client.ts) or a test's stand-in. */
export interface HistorySource {
  fetch(req: HistoryRequest): Promise<HistoryAnswer>;
}

/** Time for the pacing waits; a test passes a simulated one so hours of waiting take no time. */
export interface DownloadClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface DownloadTask {
  readonly contract: DatedContract;
  /** One open stretch of the market: a session, or its part before a holiday's early close. */
  readonly open: number;
  readonly close: number;
}

export interface DownloadSummary {
  readonly requested: number;
  readonly skipped: number;
  readonly bars: number;
  readonly pacingWaits: number;
  /** Per contract: the sessions IB had no data for. */
  readonly noData: ReadonlyArray<{ contract: string; sessions: number }>;
  readonly perContract: ReadonlyArray<{ contract: string; bars: number }>;
}

/**
 * Each contract is fetched for the stretch the live rule trades it, plus one day before its
 * first roll so the gap at the roll can be measured on bars both contracts have.
 */
export function planDownload(fromMs: number, toMs: number, rollDays: number): DownloadTask[] {
  const tasks: DownloadTask[] = [];
  let prevRoll = Number.NEGATIVE_INFINITY;
  for (const contract of quarterliesCovering(fromMs, toMs, rollDays)) {
    const roll = rollTime(contract.lastTradeDay, rollDays);
    const start = Math.max(fromMs, prevRoll - DAY);
    const end = Math.min(toMs, roll);
    prevRoll = roll;
    // Closed days (weekends, holidays) have no open stretch: nothing is asked for them.
    for (let t = start; t < end; ) {
      const seg = segmentAt(t);
      if (seg.open >= end) break;
      tasks.push({ contract, open: Math.max(seg.open, start), close: Math.min(seg.close, end) });
      t = seg.close;
    }
  }
  return tasks;
}

/** The request's key in the store: its contract and the minute its stretch ends. */
const dayKey = (t: DownloadTask) => Math.floor(t.close / MINUTE) * MINUTE;

export interface DownloadOptions {
  readonly source: HistorySource;
  readonly repo: BarsRepository;
  readonly tasks: readonly DownloadTask[];
  readonly clock: DownloadClock;
  readonly pacing?: PacingRules;
  /** After each answered request: done of total, and the estimated ms left. */
  readonly onProgress?: (done: number, total: number, etaMs: number) => void;
  /** Consecutive pacing refusals of one request before giving up. Default 10. */
  readonly maxPacingRetries?: number;
}

/**
 * Fetches every task the store has no answer for yet, keeping IB's pacing rules; a 162 pacing
 * refusal is waited out (15 s, then longer), not an error. Each answer is stored with its
 * bars in one transaction, so an interrupted download resumes where it stopped.
 */
export async function download(opts: DownloadOptions): Promise<DownloadSummary> {
  const { repo, clock } = opts;
  const pacing = opts.pacing ?? new PacingRules();
  const todo = opts.tasks.filter((t) => !repo.requested(t.contract.name, dayKey(t)));
  const started = clock.now();
  let bars = 0;
  let pacingWaits = 0;
  const noData = new Map<string, number>();
  const per = new Map<string, number>();
  const registered = new Set<string>();
  for (let i = 0; i < todo.length; i++) {
    const task = todo[i]!;
    const c = task.contract;
    if (!registered.has(c.name)) {
      repo.ensureContract({ contract: c.name, symbol: c.symbol, lastTradeDay: c.lastTradeDay }, clock.now());
      registered.add(c.name);
    }
    const req: HistoryRequest = { contract: c, endMs: task.close, durationMs: task.close - task.open };
    const key = `${c.localSymbol}|${req.endMs}|${req.durationMs}`;
    let answer: HistoryAnswer;
    for (let attempt = 0; ; attempt++) {
      const wait = pacing.waitMs(key, c.localSymbol, clock.now());
      if (wait > 0) await clock.sleep(wait);
      pacing.record(key, c.localSymbol, clock.now());
      answer = await opts.source.fetch(req);
      if (answer.kind !== 'pacing') break;
      pacingWaits++;
      if (attempt >= (opts.maxPacingRetries ?? 10)) throw new Error(`IB kept refusing history for pacing (${answer.message}) after ${attempt + 1} tries; wait ten minutes and run the download again: it resumes`);
      await clock.sleep(15_000 * 2 ** Math.min(attempt, 5));
    }
    const got = answer.kind === 'bars' ? inStretch(answer.bars, task) : [];
    repo.writeAnswer(c.name, dayKey(task), seriesFromBars(got), `ib:${c.localSymbol}`, clock.now());
    bars += got.length;
    per.set(c.name, (per.get(c.name) ?? 0) + got.length);
    if (got.length === 0) noData.set(c.name, (noData.get(c.name) ?? 0) + 1);
    const elapsed = clock.now() - started;
    opts.onProgress?.(i + 1, todo.length, ((todo.length - i - 1) * elapsed) / (i + 1));
  }
  return {
    requested: todo.length,
    skipped: opts.tasks.length - todo.length,
    bars,
    pacingWaits,
    noData: [...noData].map(([contract, sessions]) => ({ contract, sessions })),
    perContract: [...per].map(([contract, n]) => ({ contract, bars: n })),
  };
}

/** Sorted, unique 1-minute bars inside the task's stretch (IB may send the bar in progress). */
function inStretch(bars: readonly Bar[], t: DownloadTask): Bar[] {
  const out = bars.filter((b) => b.time >= t.open && b.time < t.close && b.time % MINUTE === 0).sort((a, b) => a.time - b.time);
  return out.filter((b, i) => i === 0 || b.time !== out[i - 1]!.time);
}
