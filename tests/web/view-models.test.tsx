import { describe, expect, test } from 'bun:test';
import { createMarketView } from '../../src/app/market-view.ts';
import type { Bar } from '../../src/domain/bar.ts';
import { csvCell } from '../../src/web/http.ts';
import { bandParams, tradeMarkers, zscoreBand } from '../../src/web/view-models/chart.ts';
import type { JournalTrade, Status } from '../../src/web/view-models/dashboard.ts';
import { equityCurves, heatmap } from '../../src/web/view-models/research.ts';
import { StatusBar } from '../../views/fragments/status.tsx';
import { money } from '../../views/format.ts';
import { render } from '../../views/render.ts';
import { metrics } from '../store/builders.ts';

const MIN = 60_000;
const bar = (i: number, close: number): Bar => ({ time: i * MIN, open: close, high: close, low: close, close, volume: 1 });

describe('the entry band', () => {
  test('is mean ± entry·σ of the last lookback closes including the current one, σ the population SD', () => {
    // closes 1, 2, 3, 4 with lookback 3: windows [1,2,3] and [2,3,4]; σ = √(2/3).
    const band = zscoreBand([bar(0, 1), bar(1, 2), bar(2, 3), bar(3, 4)], 3, 2);
    const sd = Math.sqrt(2 / 3);
    expect(band).toHaveLength(2);
    expect(band[0]!.time).toBe(120);
    expect(band[0]!.mean).toBeCloseTo(2, 12);
    expect(band[0]!.upper).toBeCloseTo(2 + 2 * sd, 12);
    expect(band[1]!.lower).toBeCloseTo(3 - 2 * sd, 12);
  });

  test('flat prices give a band of zero width', () => {
    expect(zscoreBand([bar(0, 5000), bar(1, 5000)], 2, 2)).toEqual([{ time: 60, mean: 5000, upper: 5000, lower: 5000 }]);
  });

  test("comes from the strategy's own parameters; RSI has none", () => {
    expect(bandParams('zscore', { lookback: 30, entry: 2.5, exit: 0.5 })).toEqual({ lookback: 30, width: 2.5 });
    expect(bandParams('zscore', {})).toEqual({ lookback: 20, width: 2 });
    expect(bandParams('bollinger', { period: 14, k: 1.5 })).toEqual({ lookback: 14, width: 1.5 });
    expect(bandParams('rsi', { period: 14 })).toBeNull();
  });
});

describe('trade markers', () => {
  const trade = (o: Partial<JournalTrade>): JournalTrade =>
    ({ id: 1, side: 'long', qty: 1, entryTime: 2 * MIN, entryPrice: 5000, exitTime: 5 * MIN, exitPrice: 5001, exitReason: 'signal', commissionCents: 124, pnlCents: 376, sessionStart: 0, entryRef: 'E', exitRef: 'X', ...o }) as JournalTrade;

  test('an entry arrow and an exit circle with the P&L, in time order, only inside the bars shown', () => {
    const markers = tradeMarkers([trade({ side: 'short', entryTime: 8 * MIN, exitTime: 9 * MIN, pnlCents: -250 }), trade({}), trade({ entryTime: 50 * MIN, exitTime: 60 * MIN })], null, 0, 10 * MIN);
    expect(markers).toEqual([
      { time: 120, position: 'belowBar', shape: 'arrowUp', color: expect.any(String), text: 'L' },
      { time: 300, position: 'inBar', shape: 'circle', color: expect.any(String), text: '+$3.76' },
      { time: 480, position: 'aboveBar', shape: 'arrowDown', color: expect.any(String), text: 'S' },
      { time: 540, position: 'inBar', shape: 'circle', color: expect.any(String), text: '−$2.50' },
    ]);
  });
});

describe('the heat map', () => {
  const row = (lookback: number, entry: number, sharpe: number | null, rank: number | null = 1) => ({ seq: 0, params: { lookback, entry }, metrics: metrics({ sharpe }), rank });

  test('puts the objective on a grid of the two chosen parameters, coloured around neutral', () => {
    const map = heatmap([row(10, 1, 1), row(10, 2, -2), row(20, 1, 0.2), row(20, 2, null)], 'sharpe')!;
    expect(map).toMatchObject({ x: 'lookback', y: 'entry', xs: [10, 20], ys: [1, 2] });
    expect(map.cells[0]!.map((c) => c?.step)).toEqual([3, 1]);
    expect(map.cells[1]!.map((c) => c?.step)).toEqual([-5, null]);
  });

  test('with a third parameter a cell shows the best ranked set sharing its two values', () => {
    const rows = [
      { seq: 0, params: { lookback: 10, entry: 1, exit: 0 }, metrics: metrics({ sharpe: 3 }), rank: null },
      { seq: 1, params: { lookback: 10, entry: 1, exit: 1 }, metrics: metrics({ sharpe: 1 }), rank: 2 },
      { seq: 2, params: { lookback: 10, entry: 1, exit: 2 }, metrics: metrics({ sharpe: 2 }), rank: 1 },
    ];
    expect(heatmap(rows, 'sharpe')!.cells[0]![0]).toMatchObject({ value: 2, ranked: true });
    expect(heatmap(rows, 'sharpe', 'exit', 'lookback')!.xs).toEqual([0, 1, 2]);
  });

  test('is absent without grid rows', () => {
    expect(heatmap([], 'sharpe')).toBeNull();
  });
});

describe('equity curves', () => {
  test('drawdown is the distance below the running peak', () => {
    const { equity, drawdown } = equityCurves([
      { time: 0, equity: 100 },
      { time: 1000, equity: 120 },
      { time: 2000, equity: 90 },
      { time: 3000, equity: 130 },
    ]);
    expect(equity.map((p) => p.value)).toEqual([100, 120, 90, 130]);
    expect(drawdown.map((p) => p.value)).toEqual([0, 0, -30, 0]);
    expect(equity.map((p) => p.time)).toEqual([0, 1, 2, 3]);
  });
});

describe('the market view', () => {
  test('keeps the last `capacity` bars in order, replacing a re-sent bar and ignoring an older one', () => {
    const view = createMarketView({ strategy: 'zscore', params: {}, capacity: 3 });
    for (let i = 0; i < 5; i++) view.record(bar(i, 100 + i));
    view.record(bar(4, 200));
    view.record(bar(1, 300));
    expect(view.bars().map((b) => [b.time / MIN, b.close])).toEqual([[2, 102], [3, 103], [4, 200]]);
  });

  test('records each bar the source announces', () => {
    let listener: (b: ReturnType<typeof bar>) => void = () => {};
    const source = { lastBar: bar(0, 1), params: { lookback: 5 }, strategyDef: { name: 'zscore' }, onDecided: (l: typeof listener) => ((listener = l), () => {}) };
    const view = createMarketView({ strategy: 'zscore', params: source.params }, source);
    listener(bar(1, 2));
    listener(bar(2, 3));
    expect(view.bars().map((b) => b.close)).toEqual([1, 2, 3]);
  });
});

describe('formats and escaping', () => {
  test('money has a sign and a real minus', () => {
    expect([money(1234.5), money(-12), money(0), money(null)]).toEqual(['+$1,234.50', '−$12.00', '$0.00', '—']);
  });

  test('CSV cells are quoted and defused against spreadsheet formulas', () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell(-3.5)).toBe('-3.5');
  });

  test('the status bar shows LIVE in red, cooldowns with their end, halts with their reason (escaped)', () => {
    const now = Date.UTC(2026, 0, 5, 14, 0);
    const base = { mode: 'live', connection: 'ready.watching', position: null, zscore: 'native', uptimeSec: 3725, lastBar: null } as unknown as Status;
    const live = render(<StatusBar status={{ ...base, trading: { kind: 'COOLDOWN', until: Date.UTC(2026, 0, 5, 14, 35) } }} now={now} />);
    expect(live).toContain('class="badge bad" data-testid="mode">LIVE<');
    expect(live).toContain('COOLDOWN until 09:35 New York (in 35 m)');
    expect(live).toContain('1h 02m');
    const halted = render(<StatusBar status={{ ...base, trading: { kind: 'HALTED', reason: '<b>daily_loss</b>' } }} now={now} />);
    expect(halted).toContain('HALTED: &lt;b&gt;daily loss&lt;/b&gt;');
  });

  test('a daily-loss halt says when it clears: the next session, 18:00 New York, and how long until then', () => {
    // 14:48 New York: 3 h 12 m before the 18:00 session open.
    const lastBar = { time: Date.UTC(2026, 0, 5, 19, 48), open: 5000, high: 5000, low: 5000, close: 5000, volume: 1 };
    const status = { mode: 'paper', connection: 'ready', position: null, zscore: 'ts', uptimeSec: 1, lastBar, trading: { kind: 'HALTED', reason: 'daily_loss' } } as unknown as Status;
    expect(render(<StatusBar status={status} />)).toContain('HALTED: daily loss — clears 18:00 New York (in 3 h 12 m)');
  });

  test('a disconnected broker: a banner, and ACTIVE becomes "entries refused" in red', () => {
    const status = { mode: 'paper', connection: 'lost', position: null, zscore: 'ts', uptimeSec: 1, lastBar: null, trading: { kind: 'ACTIVE' } } as unknown as Status;
    const html = render(<StatusBar status={status} now={0} />);
    expect(html).toContain('data-testid="broker-banner"');
    expect(html).toContain('Broker not connected (lost): new entries are refused');
    expect(html).toContain('class="badge bad" data-testid="trading-state">ENTRIES REFUSED: broker not connected<');
    const ready = render(<StatusBar status={{ ...status, connection: 'ready' }} now={0} />);
    expect(ready).not.toContain('broker-banner');
    expect(ready).toContain('class="badge ok" data-testid="trading-state">ACTIVE<');
  });

  test('paper and live show the account and the contract traded; sim shows no account and a simulated series', () => {
    const contract = { localSymbol: 'MESH6', conId: 1, exchange: 'CME', expiry: '2026-03-20', daysToExpiry: 74, rollDays: 8, inRollWindow: false };
    const status = { mode: 'paper', connection: 'ready', contract, position: null, zscore: 'ts', uptimeSec: 1, lastBar: null, trading: { kind: 'ACTIVE' } } as unknown as Status;
    const venue = { mode: 'paper', account: 'DU1234567', symbol: 'MES', broker: 'ib' } as const;
    const paper = render(<StatusBar status={status} venue={venue} now={0} />);
    expect(paper).toContain('data-testid="venue">DU1234567 (ib)<');
    expect(paper).toMatch(/data-testid="contract" title="[^"]*">MESH6 · CME · expires 2026-03-20 \(74 days\)</);
    expect(paper).not.toContain('roll-window');
    const sim = render(<StatusBar status={{ ...status, mode: 'sim', contract: null } as Status} venue={venue} now={0} />);
    expect(sim).not.toContain('data-testid="venue"');
    expect(sim).toContain('simulated series (no expiry)');
  });

  test('a contract within the roll window is marked, and says what that means', () => {
    const contract = { localSymbol: 'MESH6', conId: 1, exchange: 'CME', expiry: '2026-03-20', daysToExpiry: 5, rollDays: 8, inRollWindow: true };
    const status = { mode: 'live', connection: 'ready', contract, position: null, zscore: 'ts', uptimeSec: 1, lastBar: null, trading: { kind: 'ACTIVE' } } as unknown as Status;
    const html = render(<StatusBar status={status} now={0} />);
    expect(html).toContain('class="item roll-window"');
    expect(html).toContain('data-testid="roll-window">roll window<');
    expect(html).toContain('expires 2026-03-20 (5 days)');
    expect(html).toContain('must close before 2026-03-20');
  });
});
