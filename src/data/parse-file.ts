import * as fs from 'node:fs';
import { DataError } from '../market/data-error.ts';
import { out as cell, isoUtcFast, parseNumber, readClock, readDate } from './bytes.ts';
import { hintFor, VENDOR_LABEL, type Layout } from './layout.ts';
import { shown } from './show.ts';
import type { WallToUtc } from './tz.ts';

/** Bars as read, in file order: columns with room to spare (`length` is the count). */
export interface RawBars {
  length: number;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** Bars with at least one price off the 0.25 grid (rounded to it). */
  offGrid: number;
  /** Blank lines skipped, rows with more cells than used, times not in the `…Z` ISO form: what a strict reader refuses. */
  blankLines: number;
  wideRows: number;
  otherTimes: number;
  /** With `bySymbol`: each row's index into `symbols` (the symbol column's distinct values), ~index for an off-grid row. */
  group: Int32Array | null;
  readonly symbols: string[];
  /** Rows dropped by `acceptSymbol`, per symbol: never validated (a spread's price may be negative). */
  readonly skipped: Map<string, number>;
}

const CHUNK = 1 << 22;
const MAX_LINE = 1 << 16;
const DAY = 86_400_000;
const MAX_CELLS = 64;
const TICKS_PER_POINT = 4;

export interface ParseOptions {
  readonly path: string;
  readonly layout: Layout;
  /** Converts naive wall times; null when no --tz was given. */
  readonly tz: WallToUtc | null;
  /** Average bytes per line in the file's first lines: sizes the columns so they are rarely regrown. */
  readonly lineBytes?: number;
  /** Tag each row with its symbol column's value (a file of several contracts). */
  readonly bySymbol?: boolean;
  /** With bySymbol: rows of a symbol this refuses are skipped before any check. */
  readonly acceptSymbol?: (symbol: string) => boolean;
}

/**
 * Reads a whole file in 4 MB chunks and parses every bar line straight from the bytes into
 * Float64Array columns sized from the file length, so a 10-million-bar file costs the columns
 * and one chunk, not the text plus an object per bar. The first bad cell throws a DataError
 * naming file, line, column, the value (cut, escaped) and the form expected.
 */
export function parseFile(opts: ParseOptions): RawBars {
  const { path, layout } = opts;
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const raw = Buffer.allocUnsafe(CHUNK + MAX_LINE);
    // A plain Uint8Array view: JSC indexes it about twice as fast as a Buffer in the byte loop.
    const buf = new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
    // 5 % short of the sampled line length: a little spare room, and a regrow (old and new
    // columns at once) only when later lines are much shorter than the first ones.
    const perLine = Math.max(8, (opts.lineBytes ?? 40) * 0.95);
    const out = allocate(Math.ceil(size / perLine) + 1024, opts.bySymbol === true && layout.symbol >= 0);
    const row = new RowParser(opts, out);
    let carry = 0;
    let lineNo = 0;
    let first = true;
    const delim = layout.delimiter.charCodeAt(0);
    const starts = row.starts;
    const ends = row.ends;
    for (;;) {
      const n = fs.readSync(fd, raw, carry, CHUNK, null);
      const end = carry + n;
      let s = 0;
      if (first && end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) s = 3;
      first = false;
      // One pass over the bytes finds both the line ends and the cell boundaries.
      let cells = 0;
      let from = s;
      for (let i = s; i < end; i++) {
        const c = buf[i]!;
        if (c === delim) {
          if (cells < MAX_CELLS) {
            starts[cells] = from;
            ends[cells] = i;
          }
          cells++;
          from = i + 1;
        } else if (c === 10) {
          if (cells < MAX_CELLS) {
            starts[cells] = from;
            ends[cells] = i;
          }
          cells++;
          lineNo++;
          if (lineNo > layout.skipLines) row.line(buf, s, i, lineNo, cells);
          s = i + 1;
          from = s;
          cells = 0;
        }
      }
      if (n === 0) {
        if (s < end) {
          if (cells < MAX_CELLS) {
            starts[cells] = from;
            ends[cells] = end;
          }
          lineNo++;
          if (lineNo > layout.skipLines) row.line(buf, s, end, lineNo, cells + 1);
        }
        break;
      }
      carry = end - s;
      if (carry >= MAX_LINE) throw new DataError(`${path} line ${lineNo + 1}: line longer than ${MAX_LINE} bytes; expected one bar per line`);
      // The cut line moves to the front; its cells are found again on the next pass.
      buf.copyWithin(0, s, end);
    }
    if (out.length === 0) throw new DataError(`${path}: no bars in the file; expected at least one ${VENDOR_LABEL[layout.vendor]} row`);
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

function allocate(capacity: number, grouped: boolean): RawBars {
  const f = () => new Float64Array(capacity);
  return { length: 0, time: f(), open: f(), high: f(), low: f(), close: f(), volume: f(), offGrid: 0, blankLines: 0, wideRows: 0, otherTimes: 0, group: grouped ? new Int32Array(capacity) : null, symbols: [], skipped: new Map() };
}

function grow(out: RawBars): void {
  const cap = Math.ceil(out.time.length * 1.25) + 1024;
  for (const k of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
    const a = new Float64Array(cap);
    a.set(out[k].subarray(0, out.length));
    out[k] = a;
  }
  if (out.group) {
    const g = new Int32Array(cap);
    g.set(out.group.subarray(0, out.length));
    out.group = g;
  }
}

class RowParser {
  readonly starts = new Int32Array(MAX_CELLS);
  readonly ends = new Int32Array(MAX_CELLS);
  private readonly comma: boolean;
  private readonly need: number;
  private readonly scale: number;
  private buf: Uint8Array = new Uint8Array(0);
  private lineNo = 0;
  private lineStart = 0;
  private lineEnd = 0;

  constructor(
    private readonly opts: ParseOptions,
    private readonly out: RawBars,
  ) {
    const l = opts.layout;
    this.comma = l.decimalComma;
    this.scale = l.priceScale;
    const t = l.time;
    this.need = Math.max(l.open, l.high, l.low, l.close, l.volume, t.kind === 'split' ? Math.max(t.dateCol, t.clockCol) : t.col, opts.bySymbol ? l.symbol : -1) + 1;
  }

  line(b: Uint8Array, s: number, e: number, lineNo: number, cells: number): void {
    if (e > s && b[e - 1] === 13) {
      e--;
      if (cells <= MAX_CELLS && this.ends[cells - 1] === e + 1) this.ends[cells - 1] = e;
    }
    if (cells === 1) {
      let blank = true;
      for (let i = s; i < e; i++) {
        if (b[i]! > 32) {
          blank = false;
          break;
        }
      }
      if (blank) {
        this.out.blankLines++;
        return;
      }
    }
    this.buf = b;
    this.lineNo = lineNo;
    this.lineStart = s;
    this.lineEnd = e;
    const { starts, ends } = this;
    if (cells < this.need) {
      const l = this.opts.layout;
      throw new DataError(`${this.opts.path} line ${lineNo}: ${cells} column${cells === 1 ? '' : 's'}; expected at least ${this.need} (${l.names.slice(0, this.need).join(l.delimiter)})${hintFor(this.text(s, e), l.vendor)}`);
    }
    if (cells > this.need) this.out.wideRows++;
    const l = this.opts.layout;
    const symbol = this.out.group ? this.symbolId(l.symbol) : -1;
    if (symbol >= 0 && !this.accepted[symbol]) {
      const name = this.out.symbols[symbol]!;
      this.out.skipped.set(name, (this.out.skipped.get(name) ?? 0) + 1);
      return;
    }
    const t = this.time();
    const o = this.price(l.open);
    const h = this.price(l.high);
    const lo = this.price(l.low);
    const c = this.price(l.close);
    let v = 0;
    if (l.volume >= 0) {
      v = parseNumber(b, starts[l.volume]!, ends[l.volume]!, this.comma);
      if (!(v >= 0)) this.fail(l.volume, Number.isNaN(v) ? 'is not a number; expected a volume ≥ 0' : 'is negative; expected a volume ≥ 0');
    }
    if (lo > h) this.fail(-1, `low ${lo} is above high ${h}`);
    if (lo > o || lo > c) this.fail(-1, `low ${lo} is above ${lo > o ? `open ${o}` : `close ${c}`}; expected low ≤ min(open, close)`);
    if (h < o || h < c) this.fail(-1, `high ${h} is below ${h < o ? `open ${o}` : `close ${c}`}; expected high ≥ max(open, close)`);
    const out = this.out;
    if (out.length === out.time.length) grow(out);
    const i = out.length++;
    out.time[i] = t;
    const ro = Math.round(o * TICKS_PER_POINT) / TICKS_PER_POINT;
    const rh = Math.round(h * TICKS_PER_POINT) / TICKS_PER_POINT;
    const rl = Math.round(lo * TICKS_PER_POINT) / TICKS_PER_POINT;
    const rc = Math.round(c * TICKS_PER_POINT) / TICKS_PER_POINT;
    const offGrid = ro !== o || rh !== h || rl !== lo || rc !== c;
    if (offGrid) out.offGrid++;
    out.open[i] = ro;
    out.high[i] = rh;
    out.low[i] = rl;
    out.close[i] = rc;
    out.volume[i] = v;
    // An off-grid row keeps its symbol as ~id, so a per-contract split can still count it.
    if (out.group) out.group[i] = offGrid ? ~symbol : symbol;
  }

  private readonly symbolIds = new Map<string, number>();
  private readonly accepted: boolean[] = [];

  private symbolId(col: number): number {
    const name = this.text(this.starts[col]!, this.ends[col]!).trim().replace(/^"|"$/g, '');
    let id = this.symbolIds.get(name);
    if (id === undefined) {
      id = this.out.symbols.length;
      this.out.symbols.push(name);
      this.symbolIds.set(name, id);
      this.accepted.push(this.opts.acceptSymbol?.(name) ?? true);
    }
    return id;
  }

  private price(col: number): number {
    let p = parseNumber(this.buf, this.starts[col]!, this.ends[col]!, this.comma);
    if (this.scale !== 1) p *= this.scale;
    if (!(p > 0) || p === Number.POSITIVE_INFINITY) this.fail(col, Number.isNaN(p) ? `is not a number; expected a price like 5000.25${this.comma ? ' or 5000,25' : ''}` : 'is not a price; expected a number > 0');
    return p;
  }

  private time(): number {
    const t = this.opts.layout.time;
    const b = this.buf;
    if (t.kind === 'epoch') {
      this.out.otherTimes++;
      const v = parseNumber(b, this.starts[t.col]!, this.ends[t.col]!, false);
      if (!(v >= 0)) this.fail(t.col, `is not a time; expected ${this.opts.layout.timeForm}`);
      return Math.round(v * t.unitMs);
    }
    const dateCol = t.kind === 'split' ? t.dateCol : t.col;
    const ds = this.starts[dateCol]!;
    const de = this.ends[dateCol]!;
    if (t.kind === 'datetime') {
      const fast = isoUtcFast(b, ds, de);
      if (fast >= 0) return fast;
    }
    this.out.otherTimes++;
    const p = readDate(b, ds, de, t.dateForm);
    if (p < 0) this.fail(dateCol, `is not a date; expected ${this.opts.layout.timeForm}`);
    const day = cell.day;
    let ms: number;
    if (t.kind === 'split') ms = readClock(b, this.starts[t.clockCol]!, this.ends[t.clockCol]!);
    else {
      let q = p;
      while (q < de && (b[q] === 32 || b[q] === 84 || b[q] === 116)) q++;
      ms = q >= de || b[q] === 34 ? 0 : readClock(b, q, de);
    }
    if (ms < 0) this.fail(t.kind === 'split' ? t.clockCol : t.col, `is not a time of day; expected ${this.opts.layout.timeForm}`);
    const wall = day * DAY + ms;
    if (!Number.isNaN(cell.offsetMin)) return wall - cell.offsetMin * 60_000;
    if (this.opts.tz) return this.opts.tz(wall);
    const names = this.opts.layout.names;
    const cellText = (c: number) => this.text(this.starts[c]!, this.ends[c]!).trim();
    const [label, value] = t.kind === 'split' ? [`${names[t.dateCol]} and ${names[t.clockCol]}`, `${cellText(t.dateCol)} ${cellText(t.clockCol)}`] : [names[t.col], cellText(t.col)];
    throw new DataError(
      `${this.opts.path} line ${this.lineNo}: ${label} ${shown(value)} has no time zone; ` +
        `give --tz with the zone the file's times are in, e.g. --tz America/Chicago (CME, NinjaTrader, Sierra Chart defaults) or --tz America/New_York (FirstRate Data)`,
    );
  }

  private text(s: number, e: number): string {
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + s, e - s).toString('utf8');
  }

  private fail(col: number, message: string): never {
    const l = this.opts.layout;
    const where = `${this.opts.path} line ${this.lineNo}`;
    const hint = hintFor(this.text(this.lineStart, this.lineEnd), l.vendor);
    if (col < 0) throw new DataError(`${where}: ${message}${hint}`);
    const value = this.text(this.starts[col]!, this.ends[col]!).trim();
    throw new DataError(`${where}: column ${col + 1} (${l.names[col] ?? '?'}) ${shown(value)} ${message}${hint}`);
  }
}
