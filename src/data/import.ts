import * as fs from 'node:fs';
import * as v from 'valibot';
import type { BarSeries } from '../domain/bar.ts';
import { DataError } from '../market/data-error.ts';
import { detectLayout, FORMATS, VENDOR_LABEL, type FormatName, type Head, type Layout } from './layout.ts';
import { normalize, type ImportCounts } from './normalize.ts';
import { parseContract, type DatedContract } from './contracts.ts';
import { parseFile, type RawBars } from './parse-file.ts';
import { shown } from './show.ts';
import { wallToUtc } from './tz.ts';

/** `--contract MESH6`: MES, a CME month code (H M U Z are the quarterly ones), a one- or two-digit year. */
export const CONTRACT_RE = /^MES[FGHJKMNQUVXZ]\d{1,2}$/;

/** The import's options as the command line gives them, checked in one place. */
export const ImportOptionsSchema = v.object({
  format: v.optional(v.picklist(FORMATS, `--format must be one of ${FORMATS.join(', ')}`), 'auto'),
  tz: v.optional(v.pipe(v.string(), v.check((z) => wallToUtc(z) !== null, 'is not a time zone this runtime knows; expected an IANA name such as America/Chicago, America/New_York or UTC'))),
  contract: v.optional(v.pipe(v.string(), v.toUpperCase(), v.regex(CONTRACT_RE, 'expected a dated MES contract such as MESH6 or MESZ25'))),
});
export type ImportOptions = v.InferOutput<typeof ImportOptionsSchema>;

export function parseImportOptions(raw: unknown): ImportOptions {
  const r = v.safeParse(ImportOptionsSchema, raw);
  if (r.success) return r.output;
  const issue = r.issues[0];
  const key = issue.path?.[0]?.key;
  const value = typeof issue.input === 'string' ? ` ${shown(issue.input)}` : '';
  throw new DataError(`${key === undefined ? '' : `--${String(key)}`}${value}: ${issue.message}`);
}

export interface ImportedFile {
  readonly path: string;
  readonly vendor: Layout['vendor'];
  readonly timeForm: string;
  readonly series: BarSeries;
  readonly counts: ImportCounts;
}

const HEAD_BYTES = 8192;

function readHead(path: string): Head {
  let text: string;
  try {
    const fd = fs.openSync(path, 'r');
    try {
      const buf = Buffer.alloc(HEAD_BYTES);
      const n = fs.readSync(fd, buf, 0, HEAD_BYTES, 0);
      text = buf.subarray(0, n).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new DataError(`${path}: cannot read the file (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : e instanceof Error ? e.message : String(e)})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const all = text.split('\n').map((l) => l.replace(/\r$/, ''));
  let blank = 0;
  while (blank < all.length && all[blank]!.trim() === '') blank++;
  // The last line of the head may be cut in the middle.
  const lines = all.slice(blank, Math.max(blank + 1, all.length - 1)).filter((l) => l.trim() !== '');
  return { lines, blank };
}

function readRaw(path: string, opts: ImportOptions, bySymbol: boolean, acceptSymbol?: (s: string) => boolean): { layout: Layout; raw: RawBars } {
  const head = readHead(path);
  const layout = detectLayout(head);
  if (typeof layout === 'string') throw new DataError(`${path} line ${head.blank + 1}: ${layout}`);
  checkFormat(path, opts.format, layout);
  const tz = opts.tz === undefined ? null : wallToUtc(opts.tz);
  const sample = head.lines.slice(1);
  const lineBytes = sample.length > 0 ? sample.reduce((a, l) => a + Buffer.byteLength(l) + 1, 0) / sample.length : undefined;
  const raw = parseFile({ path, layout, tz, bySymbol, ...(acceptSymbol ? { acceptSymbol } : {}), ...(lineBytes === undefined ? {} : { lineBytes }) });
  return { layout, raw };
}

/** Reads one vendor file into one series of 1-minute bars; throws a DataError naming file, line and column on bad input. */
export function importFile(path: string, opts: ImportOptions): ImportedFile {
  const { layout, raw } = readRaw(path, opts, false);
  const { series, counts } = normalize(raw, path, layout.stampsBarEnd);
  return { path, vendor: layout.vendor, timeForm: layout.timeForm, series, counts };
}

/** One contract's bars from a file; `contract` is null for a file that names none (the symbol's series as given). */
export interface ImportedPart extends ImportedFile {
  readonly contract: DatedContract | null;
}

export interface ImportedParts {
  readonly parts: readonly ImportedPart[];
  /** Rows of instruments that are not a dated MES future (spreads, other roots) or not the --contract asked for. */
  readonly skippedRows: number;
  readonly skippedSymbols: readonly string[];
}

/**
 * A file whose symbol column names dated contracts (a Databento download of MES.FUT holds every
 * month and the calendar spreads, interleaved by time) becomes one series per contract; spreads
 * and other instruments are skipped and counted. `--contract` keeps that contract's rows only,
 * or, for a file without contract names, files them under it.
 */
export function importParts(path: string, opts: ImportOptions): ImportedParts {
  // Spreads ('MESH4-MESM4') are skipped before any check: their prices may be zero or negative.
  const { layout, raw } = readRaw(path, opts, true, (name) => !/[-:\s/]/.test(name.trim()));
  const base = { path, vendor: layout.vendor, timeForm: layout.timeForm };
  const names = raw.group === null ? [] : raw.symbols.map((s, id) => ({ id, s, c: CONTRACT_NAME.test(s.trim().toUpperCase()) ? parseContract(s, firstTimeOf(raw, id)) : null }));
  const skipped = new Map(raw.skipped);
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  if (!names.some((x) => x.c !== null)) {
    // No contract names (or a plain 'MES'): one series, filed under --contract if given.
    const asked = opts.contract === undefined ? null : parseContract(opts.contract, raw.time[0]!);
    const { series, counts } = normalize(raw, path, layout.stampsBarEnd);
    return { parts: [{ ...base, series, counts, contract: asked }], skippedRows: total(skipped), skippedSymbols: [...skipped.keys()] };
  }
  const parts: ImportedPart[] = [];
  for (const { id, s, c } of names) {
    const rows = subset(raw, id);
    if (rows.length === 0) continue;
    const asked = opts.contract === undefined ? null : parseContract(opts.contract, rows.time[0]!);
    if (c === null || (asked !== null && c.name !== asked.name)) {
      skipped.set(s, (skipped.get(s) ?? 0) + rows.length);
      continue;
    }
    const { series, counts } = normalize(rows, `${path} (${c.localSymbol})`, layout.stampsBarEnd);
    parts.push({ ...base, series, counts, contract: c });
  }
  if (parts.length === 0) throw new DataError(`${path}: no rows of ${opts.contract ?? 'a dated MES contract'} in its symbol column (found ${raw.symbols.slice(0, 8).join(', ')}${raw.symbols.length > 8 ? ', …' : ''})`);
  return { parts: parts.sort((a, b) => a.contract!.lastTradeDay - b.contract!.lastTradeDay), skippedRows: total(skipped), skippedSymbols: [...skipped.keys()] };
}

/** `MESH4`, `MESZ24`: a dated MES future (spreads such as `MESH4-MESM4` are not). */
const CONTRACT_NAME = /^MES[FGHJKMNQUVXZ]\d{1,2}$/;

function firstTimeOf(raw: RawBars, id: number): number {
  for (let i = 0; i < raw.length; i++) if (idOf(raw.group![i]!) === id) return raw.time[i]!;
  return raw.time[0]!;
}

const idOf = (g: number) => (g < 0 ? ~g : g);

/** The rows of one symbol as RawBars of their own. */
function subset(raw: RawBars, id: number): RawBars {
  const g = raw.group!;
  let n = 0;
  let offGrid = 0;
  for (let i = 0; i < raw.length; i++) {
    if (idOf(g[i]!) !== id) continue;
    n++;
    if (g[i]! < 0) offGrid++;
  }
  const f = () => new Float64Array(n);
  const out: RawBars = { length: n, time: f(), open: f(), high: f(), low: f(), close: f(), volume: f(), offGrid, blankLines: 0, wideRows: 0, otherTimes: 0, group: null, symbols: [], skipped: new Map() };
  let k = 0;
  for (let i = 0; i < raw.length; i++) {
    if (idOf(g[i]!) !== id) continue;
    out.time[k] = raw.time[i]!;
    out.open[k] = raw.open[i]!;
    out.high[k] = raw.high[i]!;
    out.low[k] = raw.low[i]!;
    out.close[k] = raw.close[i]!;
    out.volume[k] = raw.volume[i]!;
    k++;
  }
  return out;
}

/** An explicit --format must match what the file looks like; the message names what it does look like. */
function checkFormat(path: string, format: FormatName, layout: Layout): void {
  if (format === 'auto' || format === 'generic' || format === layout.vendor) return;
  // TradingView and FirstRate-style files are plain enough that a generic match is theirs too.
  if (layout.vendor === 'generic' && (format === 'tradingview' || format === 'firstrate')) return;
  throw new DataError(`${path}: does not look like a ${VENDOR_LABEL[format]} export (it looks like ${VENDOR_LABEL[layout.vendor]}, times as ${layout.timeForm}): try --format ${layout.vendor} or --format auto`);
}
