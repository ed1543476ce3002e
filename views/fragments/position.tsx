import type { OpenPosition, Pnl } from '../../src/web/view-models/dashboard.ts';
import { Gauge, Money } from '../components/bits.tsx';
import { money, price, tone } from '../format.ts';

/** Position and today's money, with how much of the daily loss and drawdown budget is gone. */
export function PositionPanel(props: { position: OpenPosition | null; pnl: Pnl }) {
  const { position: p, pnl } = props;
  return (
    <div class="position" data-testid="position">
      <dl class="facts">
        <div>
          <dt>Position</dt>
          <dd data-testid="position-side" class={p ? (p.side === 'long' ? 'profit' : 'loss') : 'muted'}>
            {p ? `${p.side.toUpperCase()} ${p.qty}` : 'FLAT'}
          </dd>
        </div>
        <div>
          <dt>Entry</dt>
          <dd safe>{price(p?.entryPrice)}</dd>
        </div>
        <div>
          <dt>Current</dt>
          <dd safe>{price(p?.markPrice)}</dd>
        </div>
        <div>
          <dt>Stop / target</dt>
          <dd>{p ? `${price(p.stop)} / ${price(p.target)}` : '—'}</dd>
        </div>
        <div>
          <dt>Unrealised</dt>
          <dd>
            <Money value={pnl.today.unrealised} />
          </dd>
        </div>
        <div>
          <dt>Realised today</dt>
          <dd data-testid="realised-today">
            <Money value={pnl.today.realised} />
          </dd>
        </div>
        <div>
          <dt>Today total</dt>
          <dd>
            <Money value={pnl.today.total} />
          </dd>
        </div>
        <div>
          <dt>This week</dt>
          <dd data-testid="pnl-week">
            <Money value={pnl.week} />
          </dd>
        </div>
        <div>
          <dt>Since start</dt>
          <dd data-testid="pnl-since-start">
            <Money value={pnl.sinceStart} />
          </dd>
        </div>
        <div>
          <dt>Equity</dt>
          {/* Coloured against the starting capital: green above it, red below. */}
          <dd data-testid="equity" title={`starting capital ${money(pnl.equity - pnl.sinceStart, false)}`}>
            <span class={`money ${tone(pnl.sinceStart)}`} safe>
              {money(pnl.equity, false)}
            </span>
          </dd>
        </div>
      </dl>
      <Gauge label="Daily loss used" used={pnl.dailyLossUsed} limit={pnl.dailyLossLimit} testid="daily-loss" />
      <Gauge label="Drawdown" used={pnl.drawdown} limit={pnl.maxDrawdown} testid="drawdown" />
    </div>
  );
}
