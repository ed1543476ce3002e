import type { Status, Venue } from '../../src/web/view-models/dashboard.ts';
import { Badge, type BadgeTone } from '../components/bits.tsx';
import { tradingDisplay, nyDateTime } from '../../src/web/view-models/trading-display.ts';
import { duration, price } from '../format.ts';
import { ContractItem } from './contract.tsx';

const MODE_TONE: Record<string, BadgeTone> = { sim: 'info', paper: 'warn', live: 'bad' };

function connectionTone(state: string): BadgeTone {
  if (state === 'ready') return 'ok';
  if (state === 'lost' || state === 'disconnected' || state === 'stopped') return 'bad';
  return 'warn';
}

/** The one line a trader reads first: which account, is it connected, may it trade. */
export function StatusBar(props: { status: Status; venue?: Venue; now?: number }) {
  const s = props.status;
  // 'ready.watching' → 'ready': the sub-state is the watchdog's business.
  const connection = s.connection.split('.')[0]!;
  const trading = tradingDisplay(s, props.now ?? Date.now());
  return (
    <div class="status-wrap">
    {trading.banner ? (
      <p class="banner bad" role="alert" data-testid="broker-banner" safe>
        {trading.banner}
      </p>
    ) : (
      ''
    )}
    <div class="status-bar" data-testid="status-bar">
      <div class="item">
        <span class="label">Mode</span>
        <Badge tone={MODE_TONE[s.mode] ?? 'warn'} text={s.mode.toUpperCase()} testid="mode" />
      </div>
      {props.venue && s.mode !== 'sim' ? (
        <div class="item">
          <span class="label">Account</span>
          <span class="value" data-testid="venue" safe>
            {`${props.venue.account ?? "gateway's account"} (${props.venue.broker})`}
          </span>
        </div>
      ) : (
        ''
      )}
      <ContractItem status={s} />
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
          {s.lastBar ? `${nyDateTime(s.lastBar.time)} New York · ${price(s.lastBar.close)}` : 'waiting for data'}
        </span>
      </div>
      <div class="item">
        <span class="label">Uptime</span>
        <span class="value" safe>{duration(s.uptimeSec)}</span>
      </div>
    </div>
    </div>
  );
}
