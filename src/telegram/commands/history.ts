import type { TelegramApp } from '../app-port.ts';
import { b, esc, fitLines, usd } from '../format.ts';

const DAYS = 7;
const WEEKS = 4;

/** `/daily`: today (live, with the open position) and realised P&L per session over the last week. */
export function dailyText(app: TelegramApp): string {
  const p = app.pnl();
  const rows = app.dailyPnl(DAYS).map((s) => `${esc(s.day)}: ${b(usd(s.realised))} · ${esc(s.trades)} trade(s), ${esc(s.wins)} won`);
  const head = [`${b('Daily P&L')} (realised per session, New York trading days)`, `Today so far: ${b(usd(p.today.total))} (unrealised ${esc(usd(p.today.unrealised))})`].join('\n');
  return rows.length === 0 ? `${head}\nNo closed trades in the last ${DAYS} days.` : fitLines(head, rows);
}

/** `/weekly`: realised P&L per week (weeks start Monday, New York) and since start. */
export function weeklyText(app: TelegramApp): string {
  const p = app.pnl();
  const rows = app.weeklyPnl(WEEKS).map((w) => `Week of ${esc(w.weekOf)}: ${b(usd(w.realised))} · ${esc(w.trades)} trade(s) in ${esc(w.sessions)} session(s)`);
  const head = [`${b('Weekly P&L')} (realised)`, `Since start: ${b(usd(p.sinceStart))}`].join('\n');
  return rows.length === 0 ? `${head}\nNo closed trades in the last ${WEEKS} weeks.` : fitLines(head, rows);
}
