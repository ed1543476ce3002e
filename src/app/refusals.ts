import type { Repositories } from '../store/repositories.ts';
import type { CommandSource } from './types.ts';

export interface RefusalDeps {
  readonly repos: Pick<Repositories, 'audit'>;
  readonly now: () => number;
}

/** Longest command text kept: what a stranger types is evidence, not something to store in bulk. */
const MAX_COMMAND = 64;

/**
 * Records a request an operator channel refused before it became a command (a sender not on the
 * allow-list, a stale or foreign confirmation), so the audit trail shows attempts as well as
 * actions. Never throws: a refusal must stay a refusal even when the store cannot be written.
 */
export function auditRefused(d: RefusalDeps, source: CommandSource, command: string, reason: string): boolean {
  try {
    d.repos.audit.append({
      time: d.now(),
      source: source.channel,
      principal: source.principal.slice(0, MAX_COMMAND),
      command: command.slice(0, MAX_COMMAND),
      args: {},
      ok: false,
      result: { ok: false, message: `refused: ${reason}` },
    });
    return true;
  } catch {
    return false;
  }
}
