import type { Status, TradingState } from '../../src/web/view-models/dashboard.ts';
import { Badge, type BadgeTone } from '../components/bits.tsx';
import { clock, duration, price } from '../format.ts';

const MODE_TONE: Record<string, BadgeTone> = { sim: 'info', paper: 'warn', live: 'bad' };

function connectionTone(state: string): BadgeTone {
  if (state === 'ready') return 'ok';
  if (state === 'lost' || state === 'disconnected' || state === 'stopped') return 'bad';
  return 'warn';
}

export function tradingLabel(t: TradingState): { text: string; tone: BadgeTone } {
  switch (t.kind) {
    case 'ACTIVE':
      return { text: 'ACTIVE', tone: 'ok' };
    case 'PAUSED':
      return { text: 'PAUSED', tone: 'warn' };
    case 'COOLDOWN':
      return { text: `COOLDOWN until ${clock(t.until)}`, tone: 'warn' };
    case 'HALTED':
      return { text: `HALTED: ${t.reason}`, tone: 'bad' };
  }
}

/** The one line a trader reads first: which account, is it connected, may it trade. */
export function StatusBar(props: { status: Status }) {
  const s = props.status;
  // 'ready.watching' → 'ready': the sub-state is the watchdog's business.
  const connection = s.connection.split('.')[0]!;
  const trading = tradingLabel(s.trading);
  return (
    <div class="status-bar" data-testid="status-bar">
      <div class="item">
        <span class="label">Mode</span>
        <Badge tone={MODE_TONE[s.mode] ?? 'warn'} text={s.mode.toUpperCase()} testid="mode" />
      </div>
      <div class="item">
        <span class="label">Connection</span>
        <Badge tone={connectionTone(connection)} text={connection} title={s.connection} testid="connection" />
      </div>
      <div class="item">
        <span class="label">Trading</span>
        <Badge tone={trading.tone} text={trading.text} testid="trading-state" />
      </div>
      <div class="item">
        <span class="label">Z-Score</span>
        <span class="value">{s.zscore === 'native' ? 'native (Rust)' : 'TypeScript'}</span>
      </div>
      <div class="item">
        <span class="label">Last bar</span>
        <span class="value" data-testid="last-bar">
          {s.lastBar ? `${clock(s.lastBar.time)} · ${price(s.lastBar.close)}` : 'waiting for data'}
        </span>
      </div>
      <div class="item">
        <span class="label">Uptime</span>
        <span class="value" safe>{duration(s.uptimeSec)}</span>
      </div>
    </div>
  );
}
