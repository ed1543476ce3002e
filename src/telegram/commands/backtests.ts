import type { TelegramApp } from '../app-port.ts';
import { b, esc, fitLines, num, pct, usd, nyTime } from '../format.ts';

const SHOWN = 5;

export function backtestsText(app: TelegramApp): string {
  const runs = app.runs({ limit: SHOWN });
  if (runs.length === 0) return 'No research runs stored yet. Run <code>bun run backtest</code> on the server.';
  const blocks = runs.map((r) => {
    const head = `${b(`#${r.id} ${r.kind}`)} ${esc(r.strategy)} · ${esc(r.bars.toLocaleString('en-US'))} bars · ${esc(nyTime(r.from))} → ${esc(nyTime(r.to))}`;
    const m = r.metrics;
    const body =
      r.status === 'failed'
        ? 'failed'
        : m === null
          ? 'no parameter set reached the minimum number of trades'
          : `net ${b(usd(m.netPnl))} · ${esc(m.trades)} trades · win ${esc(pct(m.winRate))} · Sharpe ${esc(num(m.sharpe))} · PF ${esc(num(m.profitFactor))} · max DD ${esc(usd(-m.maxDrawdown))}`;
    const note = r.note ? `\n<i>${esc(r.note)}</i>` : '';
    return `${head}\n${body}${note}`;
  });
  return fitLines(`${b('Latest research runs')}`, blocks);
}
