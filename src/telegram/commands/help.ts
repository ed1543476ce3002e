import { b, esc } from '../format.ts';

/** Every command the bot answers, in the order /help lists them (also the Telegram command menu). */
export const COMMANDS = [
  { command: 'status', description: 'mode, connection, trading state, position, today’s P&L, breaker' },
  { command: 'pnl', description: 'P&L today, this week and since start' },
  { command: 'daily', description: 'realised P&L per session, last 7 days' },
  { command: 'weekly', description: 'realised P&L per week, last 4 weeks' },
  { command: 'trades', description: 'recent trades: /trades 20 (1–50, default 10)' },
  { command: 'backtests', description: 'latest research runs with headline metrics' },
  { command: 'logs', description: 'the service’s last log lines, secrets removed: /logs 50 (1–100, default 20)' },
  { command: 'ping', description: 'is the bot alive? message delay and uptime' },
  { command: 'pause', description: 'stop new entries (an open position keeps its stop and target)' },
  { command: 'resume', description: 'allow new entries again' },
  { command: 'flatten', description: 'EMERGENCY: cancel all orders and close the position (asks to confirm)' },
  { command: 'reset', description: 'reset the circuit breaker: clear a halt or cooldown (asks to confirm)' },
  { command: 'help', description: 'this list' },
] as const;

export function helpText(mode: string): string {
  const lines = COMMANDS.map((c) => `/${c.command} — ${esc(c.description)}`);
  return [
    `${b('Quant Scalper')} — automated MES futures trading (mode ${b(mode)}).`,
    'I send alerts (fills, trades, breaker, connection, daily summary) and answer:',
    '',
    ...lines,
    '',
    'Only allow-listed users and chats get answers; every command is audited.',
  ].join('\n');
}

/** A short hint, not the whole list: the sender may just have mistyped. */
export function unknownText(command: string | null): string {
  return command === null ? 'Send /help for the list of commands.' : `Unknown command ${esc(command)}. Send /help for the list.`;
}
