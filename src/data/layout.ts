import type { DateForm } from './bytes.ts';
import { shown } from './show.ts';

/** Vendor formats `data import --format` knows; `auto` detects one from the file's first lines. */
export const FORMATS = ['auto', 'tradingview', 'ninjatrader', 'sierra', 'databento', 'firstrate', 'generic'] as const;
export type FormatName = (typeof FORMATS)[number];
export type Vendor = Exclude<FormatName, 'auto'>;

export const VENDOR_LABEL: Record<Vendor, string> = {
  tradingview: 'TradingView',
  ninjatrader: 'NinjaTrader',
  sierra: 'Sierra Chart',
  databento: 'Databento OHLCV',
  firstrate: 'FirstRate Data',
  generic: 'a CSV with a header',
};

export type TimeSpec =
  /** One cell of epoch time; `unitMs` is how many ms one unit is (1000 for seconds, 1e-6 for ns). */
  | { readonly kind: 'epoch'; readonly col: number; readonly unitMs: number }
  /** Date and clock in one cell (`2024-01-02 09:30:00`, `20240102 093000`, ISO with zone). */
  | { readonly kind: 'datetime'; readonly col: number; readonly dateForm: DateForm }
  /** Date and clock in two columns. */
  | { readonly kind: 'split'; readonly dateCol: number; readonly clockCol: number; readonly dateForm: DateForm };

/** How to read one file: which byte splits cells, which cell is what, and how times are written. */
export interface Layout {
  readonly vendor: Vendor;
  readonly delimiter: ',' | ';' | '\t';
  readonly decimalComma: boolean;
  /** Lines before the first bar (the header). */
  readonly skipLines: number;
  readonly time: TimeSpec;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** −1 when the file has no volume column (volume 0). */
  readonly volume: number;
  /** Column names for messages, by index. */
  readonly names: readonly string[];
  /** Fixed-point prices (Databento without pretty_px) are multiplied by this. */
  readonly priceScale: number;
  /** Times stamp the bar's end (NinjaTrader), not its start. */
  readonly stampsBarEnd: boolean;
  /** The form times are written in, for messages. */
  readonly timeForm: string;
  /** A column naming each row's instrument (Databento's `symbol`: MESH4, MESM4, spreads…), or −1. */
  readonly symbol: number;
}

const ALIASES: Record<string, readonly string[]> = {
  datetime: ['datetime', 'date time', 'date_time', 'date/time', 'timestamp', 'ts', 'ts_event', 'time (utc)', 'gmt time', 'local time', 'timestamp (utc)'],
  date: ['date', 'day', 'trade date', 'trade_date'],
  time: ['time', 'clock', 'bar time'],
  open: ['open', 'o', 'first', 'open price', 'opening'],
  high: ['high', 'h', 'max', 'high price'],
  low: ['low', 'l', 'min', 'low price'],
  close: ['close', 'c', 'last', 'close price', 'close/last', 'closing', 'price'],
  volume: ['volume', 'vol', 'v', 'total volume', 'volume_total', 'qty'],
};

/** `<DATE>`, `"Open"`, ` Last ` → `date`, `open`, `last`. */
const norm = (name: string) => name.trim().replace(/^["'<\[]+|["'>\]]+$/g, '').trim().toLowerCase().replace(/\s+/g, ' ');

function findColumn(names: readonly string[], key: keyof typeof ALIASES): number {
  const aliases = ALIASES[key]!;
  for (const alias of aliases) {
    const i = names.indexOf(alias);
    if (i >= 0) return i;
  }
  return -1;
}

function detectDelimiter(line: string): ',' | ';' | '\t' {
  const count = (c: string) => line.split(c).length - 1;
  const semi = count(';');
  const tab = count('\t');
  if (tab >= 4 && tab >= semi) return '\t';
  if (semi >= 4) return ';';
  return ',';
}

const NINJA_TIME = /^\d{8} \d{6}$/;
const DATE_FORMS: Array<[RegExp, DateForm, string]> = [
  [/^\d{4}-\d{1,2}-\d{1,2}$/, 'ymd', 'yyyy-mm-dd'],
  [/^\d{4}\/\d{1,2}\/\d{1,2}$/, 'ymd', 'yyyy/m/d'],
  [/^\d{1,2}\/\d{1,2}\/\d{4}$/, 'mdy', 'mm/dd/yyyy'],
  [/^\d{1,2}\.\d{1,2}\.\d{4}$/, 'dmy', 'dd.mm.yyyy'],
  [/^\d{8}$/, 'ymd8', 'yyyymmdd'],
];

function dateFormOf(date: string): [DateForm, string] | null {
  const d = date.trim().replace(/^"|"$/g, '');
  for (const [re, form, label] of DATE_FORMS) if (re.test(d)) return [form, label];
  return null;
}

/** The time spec of a single time cell, from its first value. */
function timeOfCell(col: number, sample: string): { time: TimeSpec; form: string } | string {
  const v = sample.trim().replace(/^"|"$/g, '');
  if (/^\d+(\.\d+)?$/.test(v)) {
    const n = Number(v);
    if (/^\d{8}$/.test(v)) return { time: { kind: 'datetime', col, dateForm: 'ymd8' }, form: 'yyyymmdd' };
    const unitMs = n < 1e11 ? 1000 : n < 1e14 ? 1 : n < 1e17 ? 1e-3 : 1e-6;
    const form = unitMs === 1000 ? 'epoch seconds' : unitMs === 1 ? 'epoch milliseconds' : unitMs === 1e-3 ? 'epoch microseconds' : 'epoch nanoseconds';
    return { time: { kind: 'epoch', col, unitMs }, form };
  }
  if (NINJA_TIME.test(v)) return { time: { kind: 'datetime', col, dateForm: 'ymd8' }, form: 'yyyyMMdd HHmmss' };
  const at = v.search(/[T ]/);
  const found = dateFormOf(at < 0 ? v : v.slice(0, at));
  if (!found) return `time ${shown(sample)} is not a date and time this import reads; expected e.g. 2024-01-02T14:30:00Z, 2024-01-02 09:30:00 with --tz, epoch seconds, or Date and Time columns`;
  return { time: { kind: 'datetime', col, dateForm: found[0] }, form: `${found[1]}${at < 0 ? '' : ' HH:MM:SS'}` };
}

export interface Head {
  /** The first non-blank lines of the file (BOM removed). */
  readonly lines: readonly string[];
  /** How many blank lines came before them. */
  readonly blank: number;
}

/**
 * Works out a file's layout from its first lines. Returns a message (without the file name)
 * when it cannot: no usable header, or a headerless line that matches no vendor form.
 */
export function detectLayout(head: Head): Layout | string {
  const first = head.lines[0];
  if (first === undefined) return 'file is empty; expected a header line or bars';
  const delimiter = detectDelimiter(first);
  const cells = first.split(delimiter);
  const names = cells.map(norm);
  const hasHeader = !/\d/.test(names[0] ?? '') || names.some((n) => findColumn([n], 'open') === 0);
  const sample = hasHeader ? head.lines[1] : first;
  if (sample === undefined) return 'no bars after the header; expected at least one row';
  const row = sample.split(delimiter);
  const decimalComma = delimiter !== ',' && row.slice(1).some((c) => /^\s*-?\d+,\d+\s*$/.test(c));
  const skipLines = head.blank + (hasHeader ? 1 : 0);
  if (!hasHeader) {
    if (row.length < 5) return `line ${shown(first)} has no header and ${row.length} cells; expected a header naming time, open, high, low, close (and volume), or a headerless NinjaTrader / FirstRate line`;
    const t = timeOfCell(0, row[0]!);
    if (typeof t === 'string') return t;
    const ninja = NINJA_TIME.test(row[0]!.trim());
    const vendor = ninja ? 'ninjatrader' : 'firstrate';
    const plain = ['time', 'open', 'high', 'low', 'close', 'volume'];
    return { vendor, delimiter, decimalComma, skipLines, time: t.time, open: 1, high: 2, low: 3, close: 4, volume: row.length > 5 ? 5 : -1, names: plain, priceScale: 1, stampsBarEnd: ninja, timeForm: t.form, symbol: -1 };
  }
  const open = findColumn(names, 'open');
  const high = findColumn(names, 'high');
  const low = findColumn(names, 'low');
  const close = findColumn(names, 'close');
  const missing = (['open', 'high', 'low', 'close'] as const).filter((_, i) => [open, high, low, close][i]! < 0);
  if (missing.length > 0) return `header ${shown(first)} has no ${missing.join(', ')} column; expected names like time, open, high, low, close, volume (any case; also o/h/l/c, last, vol)`;
  const volume = findColumn(names, 'volume');
  const dateCol = findColumn(names, 'date');
  const clockCol = findColumn(names, 'time');
  const dtCol = findColumn(names, 'datetime');
  let time: TimeSpec;
  let timeForm: string;
  if (dateCol >= 0 && clockCol >= 0 && dtCol < 0) {
    const form = dateFormOf(row[dateCol] ?? '');
    if (!form) return `date ${shown(row[dateCol] ?? '')} in column ${names[dateCol]} is not yyyy-mm-dd, mm/dd/yyyy, dd.mm.yyyy, yyyy/m/d or yyyymmdd`;
    time = { kind: 'split', dateCol, clockCol, dateForm: form[0] };
    timeForm = `${form[1]} and HH:MM:SS`;
  } else {
    const col = dtCol >= 0 ? dtCol : clockCol >= 0 ? clockCol : dateCol;
    if (col < 0) return `header ${shown(first)} has no time column; expected one named time, date, datetime or timestamp, or Date and Time columns`;
    const t = timeOfCell(col, row[col] ?? '');
    if (typeof t === 'string') return t;
    time = t.time;
    timeForm = t.form;
  }
  const databento = names.includes('ts_event');
  const sierra = names.includes('last') && time.kind === 'split' && (names.includes('numberoftrades') || names.includes('# of trades') || names.includes('bidvolume'));
  const vendor: Vendor = databento ? 'databento' : sierra ? 'sierra' : names[0] === 'time' && close === 4 ? 'tradingview' : 'generic';
  const firstOpen = Number((row[open] ?? '').trim());
  const priceScale = databento && firstOpen > 1e7 ? 1e-9 : 1;
  const symbol = ['symbol', 'raw_symbol', 'contract', 'ticker'].map((n) => names.indexOf(n)).find((i) => i >= 0) ?? -1;
  return { vendor, delimiter, decimalComma, skipLines, time, open, high, low, close, volume, names, priceScale, stampsBarEnd: false, timeForm, symbol };
}

/** A headerless NinjaTrader or FirstRate line, or another vendor's header, seen in a line: a hint for error messages. */
export function hintFor(line: string, current: Vendor): string {
  const l = detectLayout({ lines: [line, line], blank: 0 });
  if (typeof l === 'string' || l.vendor === current || l.vendor === 'generic') return '';
  // A data line reads as headerless FirstRate whenever it is comma-separated: a hint only against NinjaTrader.
  if (l.vendor === 'firstrate' && current !== 'ninjatrader') return '';
  return ` (looks like ${VENDOR_LABEL[l.vendor]}: try --format ${l.vendor})`;
}
