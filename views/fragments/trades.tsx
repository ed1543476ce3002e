import { todaySummary, type JournalTrade, type TradesPage } from '../../src/web/view-models/dashboard.ts';
import { Money, Pager } from '../components/bits.tsx';
import { dateTime, price } from '../format.ts';

export function TradeRows(props: { trades: readonly { side: string; qty: number; entryTime: number; entryPrice: number; exitTime: number; exitPrice: number; exitReason: string; pnlCents: number }[]; today?: number | null }) {
  return (
    <>
      {props.trades.map((t) => (
        <tr class={props.today != null && t.exitTime >= props.today ? 'today' : undefined}>
          <td data-label="Side" class={t.side === 'long' ? 'profit' : 'loss'} safe>{t.side}</td>
          <td data-label="Qty" class="num">{t.qty}</td>
          <td data-label="Entry time" safe>{dateTime(t.entryTime)}</td>
          <td data-label="Entry" class="num" safe>{price(t.entryPrice)}</td>
          <td data-label="Exit time" safe>{dateTime(t.exitTime)}</td>
          <td data-label="Exit" class="num" safe>{price(t.exitPrice)}</td>
          <td data-label="Reason" safe>{t.exitReason}</td>
          <td data-label="P&amp;L" class="num">
            <Money value={t.pnlCents / 100} />
          </td>
        </tr>
      ))}
    </>
  );
}

export function TradeHead() {
  return (
    <thead>
      <tr>
        <th>Side</th>
        <th class="num">Qty</th>
        <th>Entry (UTC)</th>
        <th class="num">Entry</th>
        <th>Exit (UTC)</th>
        <th class="num">Exit</th>
        <th>Reason</th>
        <th class="num">P&amp;L</th>
      </tr>
    </thead>
  );
}

/** The live journal, newest first; it refreshes itself (its own page) when a trade closes. */
export function TradesPanel(props: { page: TradesPage }) {
  const { page } = props;
  const self = `/fragments/trades?page=${page.page}`;
  const today = todaySummary(page);
  return (
    <section id="trades" class="panel wide" hx-get={self} hx-trigger="every 30s, sse:trades, qs:refresh from:body" hx-swap="outerHTML" data-testid="trades">
      <header class="panel-head">
        <h2>Trades</h2>
        {today && page.page === 1 ? (
          <span class="muted">
            today: {today.count} closed · <Money value={today.pnl} />
          </span>
        ) : (
          ''
        )}
        <a class="button small" href="/trades.csv" download="">
          CSV
        </a>
      </header>
      {page.total === 0 ? (
        <p class="muted">No closed trades yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="reflow">
            <TradeHead />
            <tbody>
              <TradeRows trades={page.trades as readonly JournalTrade[]} today={page.sessionStart} />
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page.page} pageSize={page.pageSize} total={page.total} href={(p) => `/fragments/trades?page=${p}`} target="#trades" />
    </section>
  );
}
