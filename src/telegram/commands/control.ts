import type { CommandSource } from '../../app/types.ts';
import type { TelegramApp } from '../app-port.ts';
import { resultLine } from '../views.ts';

/** /pause and /resume: the facade does and audits the work; the reply is its own account of it. */
export async function pauseText(app: TelegramApp, source: CommandSource): Promise<string> {
  return resultLine(await app.pause(source));
}

export async function resumeText(app: TelegramApp, source: CommandSource): Promise<string> {
  return resultLine(await app.resume(source));
}
