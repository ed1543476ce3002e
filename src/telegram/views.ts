import type { PositionView, Status } from './app-port.ts';
import { b, esc, price, usd, nyTime } from './format.ts';

/** Pieces several replies share, so /status, /flatten and the daily summary say the same thing the same way. */

export function positionLine(p: PositionView | null): string {
  if (!p) return 'flat';
  const unrealised = p.unrealised === null ? '' : ` · unrealised ${esc(usd(p.unrealised))}`;
  return `${b(`${p.side} ${p.qty} MES`)} @ ${esc(price(p.entryPrice))} · stop ${esc(price(p.stop))} · target ${esc(price(p.target))} · mark ${esc(price(p.markPrice))}${unrealised}`;
}

export function tradingLine(t: Status['trading']): string {
  switch (t.kind) {
    case 'ACTIVE':
      return b('ACTIVE');
    case 'PAUSED':
      return `${b('PAUSED')} (no new entries; /resume to allow)`;
    case 'COOLDOWN':
      return `${b('COOLDOWN')} until ${esc(nyTime(t.until))}`;
    case 'HALTED':
      return `${b('HALTED')}: ${esc(t.reason)}`;
  }
}

/** ✅ or ❌ and the facade's own words: they already say what happened and what to do. */
export function resultLine(r: { readonly ok: boolean; readonly message: string }): string {
  return `${r.ok ? '✅' : '❌'} ${esc(r.message)}`;
}
