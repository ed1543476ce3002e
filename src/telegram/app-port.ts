import type { App } from '../app/app.ts';
import type { CommandSource } from '../app/types.ts';

/**
 * What the bot needs from the App facade, and nothing more: the bot never reaches into actors,
 * the broker or the store. `auditRefused` records requests refused before they became commands.
 */
export type TelegramApp = Pick<App, 'status' | 'pnl' | 'trades' | 'runs' | 'breakers' | 'flatten' | 'pause' | 'resume' | 'resetBreaker' | 'dailyPnl' | 'weeklyPnl' | 'recentLogs'> & {
  auditRefused(source: CommandSource, command: string, reason: string): unknown;
};

export type Status = ReturnType<TelegramApp['status']>;
export type PositionView = NonNullable<Status['position']>;

/** Every command is audited under the Telegram user id (not the chat: a group has many users). */
export function sourceOf(userId: number): CommandSource {
  return { channel: 'telegram', principal: String(userId) };
}
