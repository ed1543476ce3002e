import type { Database } from 'bun:sqlite';
import type { Bar, BarSeries } from '../domain/bar.ts';
import { inRelaxedTransaction, inTransaction } from './transaction.ts';
import type { Store } from './db.ts';

/** Bars are chunked by UTC day (migration 003). */
const CHUNK_MS = 86_400_000;
const COLS = 6;

export interface StoredContract {
  readonly contract: string;
  readonly symbol: string;
  readonly lastTradeDay: number | null;
}

export interface ContractRange extends StoredContract {
  readonly from: number;
  readonly to: number;
  readonly bars: number;
}

/** What a write did: bars stored, and how many of them replaced a bar already there. */
export interface WriteResult {
  readonly bars: number;
  readonly replaced: number;
}

function emptySeries(n: number): { length: number; time: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array } {
  return { length: n, time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
}

const columns = (s: BarSeries) => [s.time, s.open, s.high, s.low, s.close, s.volume] as const;

function encode(s: BarSeries, from: number, to: number): Uint8Array {
  const n = to - from;
  const f = new Float64Array(n * COLS);
  columns(s).forEach((col, c) => f.set(col.subarray(from, to), c * n));
  return new Uint8Array(f.buffer);
}

/** Byte views of a series' six columns, made once per load. */
const byteViews = (s: BarSeries) => columns(s).map((col) => new Uint8Array(col.buffer, col.byteOffset, col.byteLength));

/** Copies a chunk's columns into the columns behind `views` at bar `at`; byte copies, since a BLOB need not be 8-byte aligned. */
function decodeInto(blob: Uint8Array, n: number, views: readonly Uint8Array[], at: number): void {
  for (let c = 0; c < COLS; c++) views[c]!.set(blob.subarray(c * n * 8, (c + 1) * n * 8), at * 8);
}

/** First index in sorted `t[0..n)` with t[i] >= x. */
function lowerBound(t: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Bars per contract in daily chunks (see migration 003). Writes merge into what is stored:
 * a bar at a time already stored replaces it, other stored bars stay. One write is one
 * transaction, so a failed import leaves the store as it was.
 */
export class BarsRepository {
  private readonly db: Database;

  constructor(private readonly store: Store) {
    this.db = store.db;
  }

  /** Registers a contract (or a bare symbol's series) before its bars are written. */
  ensureContract(c: StoredContract, nowMs: number): void {
    this.db
      .query('INSERT INTO bar_contracts (contract, symbol, last_trade_day, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (contract) DO UPDATE SET updated_at = excluded.updated_at')
      .run(c.contract, c.symbol, c.lastTradeDay, nowMs);
  }

  contracts(): StoredContract[] {
    return this.db
      .query<{ contract: string; symbol: string; last_trade_day: number | null }, []>('SELECT contract, symbol, last_trade_day FROM bar_contracts ORDER BY symbol, last_trade_day IS NOT NULL, last_trade_day, contract')
      .all()
      .map((r) => ({ contract: r.contract, symbol: r.symbol, lastTradeDay: r.last_trade_day }));
  }

  /** Each contract with bars: first and last bar time and the count. */
  ranges(): ContractRange[] {
    const rows = this.db
      .query<{ contract: string; f: number; t: number; n: number }, []>('SELECT contract, min(first_time) AS f, max(last_time) AS t, sum(count) AS n FROM bar_chunks GROUP BY contract')
      .all();
    const byName = new Map(rows.map((r) => [r.contract, r]));
    return this.contracts().flatMap((c) => {
      const r = byName.get(c.contract);
      return r ? [{ ...c, from: r.f, to: r.t, bars: r.n }] : [];
    });
  }

  /** Stores sorted, unique 1-minute bars under `contract` (registered first). */
  write(contract: string, s: BarSeries, source: string, relaxed = false): WriteResult {
    let replaced = 0;
    const get = this.db.query<{ count: number; data: Uint8Array }, [string, number]>('SELECT count, data FROM bar_chunks WHERE contract = ? AND day = ?');
    const put = this.db.query('INSERT OR REPLACE INTO bar_chunks (contract, day, count, first_time, last_time, data, source) VALUES (?, ?, ?, ?, ?, ?, ?)');
    (relaxed ? inRelaxedTransaction : inTransaction)(this.store, () => {
      let i = 0;
      while (i < s.length) {
        const day = Math.floor(s.time[i]! / CHUNK_MS);
        let j = i + 1;
        while (j < s.length && Math.floor(s.time[j]! / CHUNK_MS) === day) j++;
        const old = get.get(contract, day);
        let chunk: BarSeries = s;
        let from = i;
        let to = j;
        if (old) {
          const merged = this.merge(old, s, i, j);
          replaced += merged.replaced;
          chunk = merged.series;
          from = 0;
          to = merged.series.length;
        }
        put.run(contract, day, to - from, chunk.time[from]!, chunk.time[to - 1]!, encode(chunk, from, to), source);
        i = j;
      }
    });
    return { bars: s.length, replaced };
  }

  private merge(old: { count: number; data: Uint8Array }, s: BarSeries, i: number, j: number): { series: BarSeries; replaced: number } {
    const prev = emptySeries(old.count);
    decodeInto(old.data, old.count, byteViews(prev), 0);
    const out = emptySeries(old.count + j - i);
    const src = columns(s);
    const dst = columns(out);
    const was = columns(prev);
    let a = 0;
    let b = i;
    let n = 0;
    let replaced = 0;
    while (a < prev.length || b < j) {
      const ta = a < prev.length ? prev.time[a]! : Number.POSITIVE_INFINITY;
      const tb = b < j ? s.time[b]! : Number.POSITIVE_INFINITY;
      if (tb <= ta) {
        if (tb === ta) {
          replaced++;
          a++;
        }
        for (let c = 0; c < COLS; c++) dst[c]![n] = src[c]![b]!;
        b++;
      } else {
        for (let c = 0; c < COLS; c++) dst[c]![n] = was[c]![a]!;
        a++;
      }
      n++;
    }
    return { series: { length: n, time: out.time.subarray(0, n), open: out.open.subarray(0, n), high: out.high.subarray(0, n), low: out.low.subarray(0, n), close: out.close.subarray(0, n), volume: out.volume.subarray(0, n) }, replaced };
  }

  /**
   * One closed bar, as the live recorder sees it: committed without an fsync (a power cut may
   * lose the last bars, never the journal), so recording adds no disk wait to the bar path.
   */
  append(contract: string, bar: Bar, source: string): WriteResult {
    const one = emptySeries(1);
    columns(one).forEach((col, c) => (col[0] = [bar.time, bar.open, bar.high, bar.low, bar.close, bar.volume][c]!));
    return this.write(contract, one, source, true);
  }

  /** Bars of `contract` with from ≤ time < to, as columns. */
  load(contract: string, fromMs = Number.NEGATIVE_INFINITY, toMs = Number.POSITIVE_INFINITY): BarSeries {
    const h0 = Number.isFinite(fromMs) ? Math.floor(fromMs / CHUNK_MS) : -1e15;
    const h1 = Number.isFinite(toMs) ? Math.floor(toMs / CHUNK_MS) : 1e15;
    const total = this.db.query<{ n: number | null }, [string, number, number]>('SELECT sum(count) AS n FROM bar_chunks WHERE contract = ? AND day BETWEEN ? AND ?').get(contract, h0, h1)?.n ?? 0;
    const out = emptySeries(total);
    let at = 0;
    const views = byteViews(out);
    const rows = this.db.query<{ count: number; data: Uint8Array }, [string, number, number]>('SELECT count, data FROM bar_chunks WHERE contract = ? AND day BETWEEN ? AND ? ORDER BY day');
    // values() skips building an object per row.
    for (const row of rows.values(contract, h0, h1)) {
      const count = row[0] as number;
      decodeInto(row[1] as Uint8Array, count, views, at);
      at += count;
    }
    const a = lowerBound(out.time, at, fromMs);
    const b = lowerBound(out.time, at, toMs);
    if (a === 0 && b === total) return out;
    return { length: b - a, time: out.time.subarray(a, b), open: out.open.subarray(a, b), high: out.high.subarray(a, b), low: out.low.subarray(a, b), close: out.close.subarray(a, b), volume: out.volume.subarray(a, b) };
  }

  /** Whether IB already answered the history request for this contract and day. */
  requested(contract: string, day: number): boolean {
    return this.db.query<{ x: number }, [string, number]>('SELECT 1 AS x FROM bar_requests WHERE contract = ? AND day = ?').get(contract, day) !== null;
  }

  /** An answered history request and its bars (perhaps none), in one transaction: a resumed download trusts it. */
  writeAnswer(contract: string, day: number, s: BarSeries, source: string, nowMs: number): void {
    inTransaction(this.store, () => {
      if (s.length > 0) this.write(contract, s, source);
      this.recordRequest(contract, day, s.length, nowMs);
    });
  }

  /** Records an answered history request with the number of bars it brought. */
  recordRequest(contract: string, day: number, bars: number, nowMs: number): void {
    this.db.query('INSERT OR REPLACE INTO bar_requests (contract, day, bars, fetched_at) VALUES (?, ?, ?, ?)').run(contract, day, bars, nowMs);
  }

  /** Requests answered with no bars, per contract: what IB had no data for. */
  emptyRequests(contract: string): number[] {
    return this.db.query<{ day: number }, [string]>('SELECT day FROM bar_requests WHERE contract = ? AND bars = 0 ORDER BY day').all(contract).map((r) => r.day);
  }
}
