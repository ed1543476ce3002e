import type { Bar } from '../../domain/bar.ts';
import { barTimes } from '../../market/calendar.ts';
import { PacingRules } from '../../data/pacing.ts';
import { parseContract } from '../../data/contracts.ts';
import type { ClientRequest } from './requests.ts';
import { historicalData } from './market-messages.ts';
import type { Session } from './session.ts';

type HistoryRequest = Extract<ClientRequest, { type: 'historicalData' }>;

const PACING_TEXT = 'Historical Market Data Service error message:Historical data request pacing violation';
const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * History by date range for dated MES futures, expired ones included, as IB's HMDS answers
 * `reqHistoricalData` with an `endDateTime`: 1-minute TRADES bars of the open market in
 * [end − duration, end), a price path that is the same on every request (so a resumed download
 * meets the bars it already has), each quarter a few points above the one before (carry), and
 * nothing after the contract's last trading day. It keeps IB's pacing rules with the gateway's
 * clock and answers a request that breaks one with error 162, as HMDS does.
 */
export class RangeHistory {
  private readonly rules = new PacingRules();
  /** Requests refused for pacing, by rule: what a test asserts the downloader never provokes. */
  readonly violations: string[] = [];
  requests = 0;

  constructor(private readonly now: () => number) {}

  handle(s: Session, req: HistoryRequest): void {
    this.requests++;
    const t = this.now();
    const name = req.contract.localSymbol || `MES ${req.contract.lastTradeDate}`;
    const key = `${name}|${req.endDateTime}|${req.duration}|${req.barSize}|${req.whatToShow}`;
    const broken = this.rules.violation(key, name, t);
    this.rules.record(key, name, t);
    if (broken !== null) {
      this.violations.push(broken);
      return s.sendError(req.reqId, 162, PACING_TEXT);
    }
    const contract = contractOf(req);
    const end = parseEnd(req.endDateTime);
    const span = durationMs(req.duration);
    if (contract === null) return s.sendError(req.reqId, 200, 'No security definition has been found for the request');
    if (end === null || span === null) return s.sendError(req.reqId, 321, `Error validating request: endDateTime '${req.endDateTime}' must be 'yyyymmdd-hh:mm:ss' (UTC) and duration like '82800 S' or '1 D'`);
    if (req.barSize.trim() !== '1 min') return s.sendError(req.reqId, 321, `Error validating request: this gateway serves range history in '1 min' bars only, got '${req.barSize}'`);
    const lastTrade = contract.lastTradeDay + 14.5 * 3_600_000;
    const bars: Bar[] = [];
    for (const time of barTimes(end - span, Math.min(end, lastTrade))) bars.push(barAt(time, contract.year * 4 + contract.month / 3));
    if (bars.length === 0) return s.sendError(req.reqId, 162, `Historical Market Data Service error message:HMDS query returned no data: ${contract.localSymbol}@CME Trades`);
    // formatDate 2: epoch seconds, what the downloader asks for.
    const dated = bars.map(({ time, ...b }) => ({ ...b, date: String(Math.floor(time / 1000)) }));
    s.send(historicalData(req.reqId, '', '', dated));
  }
}

function contractOf(req: HistoryRequest) {
  const c = req.contract;
  if (c.symbol !== '' && c.symbol !== 'MES') return null;
  const month = /^(\d{4})(\d{2})/.exec(c.lastTradeDate);
  const near = month ? Date.UTC(+month[1]!, +month[2]! - 1, 1) : Date.UTC(2015, 0, 1);
  const fromSymbol = c.localSymbol === '' ? null : parseContract(c.localSymbol, near - 400 * DAY);
  if (fromSymbol) return fromSymbol;
  return month ? parseContract(`MES${'FGHJKMNQUVXZ'[+month[2]! - 1]}${month[1]}`, near) : null;
}

function parseEnd(text: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})[- ](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim().replace(/ UTC$/, ''));
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : null;
}

function durationMs(d: string): number | null {
  const m = /^(\d+) ([SD])$/.exec(d.trim());
  return m ? Number(m[1]) * (m[2] === 'S' ? 1000 : DAY) : null;
}

const tick = (p: number) => Math.round(p * 4) / 4;
/** A smooth deterministic path: slow swings plus a faster wiggle, on the tick grid. */
const path = (t: number, quarter: number) => 4000 + (quarter - 8000) * 5 + 300 * Math.sin(t / (37 * DAY)) + 12 * Math.sin(t / (47 * MINUTE)) + 3 * Math.sin(t / (7 * MINUTE));

function barAt(time: number, quarter: number): Bar {
  const open = tick(path(time, quarter));
  const close = tick(path(time + MINUTE, quarter));
  const wiggle = 0.25 * (1 + (Math.floor(time / MINUTE) % 3));
  return { time, open, high: Math.max(open, close) + wiggle, low: Math.min(open, close) - wiggle, close, volume: 10 + (Math.floor(time / MINUTE) % 17) };
}
