import { nextSessionStart } from '../../domain/session.ts';
import type { BadgeTone } from '../../../views/components/bits.tsx';
import type { Status } from './dashboard.ts';

/** How the Trading badge reads, and the banner above the dashboard when something needs the trader's eyes. */
export interface TradingDisplay {
  readonly text: string;
  readonly tone: BadgeTone;
  readonly banner: string | null;
}

const NY_CLOCK = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const NY_DATE_TIME = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "18:00 New York" */
export const nyClock = (ms: number) => `${NY_CLOCK.format(ms)} New York`;

/** "2026-01-05 09:30" in New York time: tables say the zone once in their header. */
export function nyDateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return NY_DATE_TIME.format(ms).replace(',', '');
}

/** "3 h 12 m", "12 m", "under a minute" */
export function inWords(ms: number): string {
  const m = Math.max(0, Math.round(ms / 60_000));
  if (m === 0) return 'under a minute';
  const h = Math.floor(m / 60);
  return h > 0 ? `${h} h ${m % 60} m` : `${m} m`;
}

const reasonText = (reason: string) => reason.replace(/_/g, ' ');

/**
 * The facade says the breaker's state and the connection's; this says what they mean for the next
 * entry. Market time (the last bar's) is "now": in sim the market clock runs faster than the wall.
 * A daily-loss halt clears when the next CME session opens (the session calendar's rule), so it
 * shows when; any other halt reason is shown as the facade gives it.
 */
export function tradingDisplay(s: Status, wallNow: number): TradingDisplay {
  const now = s.lastBar?.time ?? wallNow;
  const connection = s.connection.split('.')[0]!;
  const connected = connection === 'ready';
  const t = s.trading;
  let text: string;
  let tone: BadgeTone;
  switch (t.kind) {
    case 'ACTIVE':
      text = 'ACTIVE';
      tone = 'ok';
      break;
    case 'PAUSED':
      text = 'PAUSED: no new entries (Resume to allow)';
      tone = 'warn';
      break;
    case 'COOLDOWN':
      text = `COOLDOWN until ${nyClock(t.until)} (in ${inWords(t.until - now)})`;
      tone = 'warn';
      break;
    case 'HALTED': {
      const clears = t.reason === 'daily_loss' ? nextSessionStart(now) : null;
      text = `HALTED: ${reasonText(t.reason)}${clears === null ? '' : ` — clears ${nyClock(clears)} (in ${inWords(clears - now)})`}`;
      tone = 'bad';
      break;
    }
  }
  if (connected) return { text, tone, banner: null };
  return {
    text: t.kind === 'ACTIVE' ? 'ENTRIES REFUSED: broker not connected' : `${text} · broker not connected`,
    tone: 'bad',
    banner: `Broker not connected (${connection}): new entries are refused until the connection is back and reconciled. Orders already at the broker (stop, target) stay there.`,
  };
}
