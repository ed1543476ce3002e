import { waitFor } from 'xstate';
import type { TradingSystem } from '../actors/system.ts';
import type { TradingCore } from '../actors/trading-core.ts';
import type { Broker } from '../broker/port.ts';
import type { Repositories } from '../store/repositories.ts';
import type { CommandResult, CommandSource } from './types.ts';

export interface CommandDeps {
  readonly system: TradingSystem;
  readonly core: TradingCore;
  readonly repos: Repositories;
  readonly broker: Broker;
  readonly now: () => number;
  /** How long flatten waits for the broker to show flat. */
  readonly flattenTimeoutMs?: number;
}

/** Without a position actor the flatten runs on the broker directly: wait for the broker to show flat. */
async function untilFlat(d: CommandDeps): Promise<boolean> {
  const deadline = d.flattenTimeoutMs ?? 30_000;
  for (let waited = 0; waited < deadline; waited += 100) {
    if ((await d.broker.positions()).every((p) => p.qty === 0)) return true;
    await Bun.sleep(100);
  }
  return false;
}

/** Runs a command and writes it, its source and its result to the audit table (append-only). */
async function audited(d: CommandDeps, source: CommandSource, command: string, args: Record<string, unknown>, run: () => Promise<CommandResult> | CommandResult): Promise<CommandResult> {
  let result: CommandResult;
  try {
    result = await run();
  } catch (e) {
    result = { ok: false, message: `${command} failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  d.repos.audit.append({ time: d.now(), source: source.channel, principal: source.principal, command, args, ok: result.ok, result });
  return result;
}

export function pause(d: CommandDeps, source: CommandSource): Promise<CommandResult> {
  return audited(d, source, 'pause', {}, () => {
    if (d.core.engine.state.paused) return { ok: true, message: 'already paused: no new entries' };
    d.system.send('strategy', { type: 'Pause', source: source.channel });
    return { ok: true, message: 'paused: no new entries; open positions keep their stop and target' };
  });
}

export function resume(d: CommandDeps, source: CommandSource): Promise<CommandResult> {
  return audited(d, source, 'resume', {}, () => {
    if (!d.core.engine.state.paused) return { ok: true, message: 'already running: entries allowed' };
    d.system.send('strategy', { type: 'Resume', source: source.channel });
    return { ok: true, message: 'resumed: entries allowed (subject to the circuit breaker)' };
  });
}

export function resetBreaker(d: CommandDeps, source: CommandSource): Promise<CommandResult> {
  return audited(d, source, 'resetBreaker', {}, () => {
    const state = d.system.get('circuitBreaker')?.getSnapshot().value;
    if (state === 'closed') return { ok: true, message: 'breaker already closed' };
    d.system.send('circuitBreaker', { type: 'Reset', time: d.core.lastBar?.time ?? d.now(), source: `${source.channel}:${source.principal}` });
    return { ok: true, message: `breaker reset (was ${String(state)})` };
  });
}

/**
 * Emergency flatten: pause new entries, cancel every working order, close the position at market,
 * and confirm from the broker's positions that it is flat. Idempotent: flattening when flat
 * cancels stray orders and confirms.
 */
export function flatten(d: CommandDeps, source: CommandSource): Promise<CommandResult> {
  return audited(d, source, 'flatten', {}, async () => {
    const before = d.core.engine.state.position;
    const openOrders = (await d.broker.openOrders()).length;
    if (!d.core.engine.state.paused) d.system.send('strategy', { type: 'Pause', source: `flatten:${source.channel}` });
    const position = d.system.get('position');
    d.system.flatten();
    const settled = position
      ? await waitFor(position, (s) => s.matches('flat') || s.matches('reconciling'), { timeout: d.flattenTimeoutMs ?? 30_000 }).then(
          () => true,
          () => false,
        )
      : await untilFlat(d);
    const brokerQty = (await d.broker.positions()).reduce((a, p) => a + p.qty, 0);
    const closed = before ? `closed ${before.side} ${before.qty}` : 'no position was open';
    const details = { cancelledOrders: openOrders, closed: before ? { side: before.side, qty: before.qty } : null, brokerPosition: brokerQty };
    if (brokerQty === 0 && settled) return { ok: true, message: `flat: cancelled ${openOrders} order(s), ${closed}; the broker shows no position. New entries paused until resume.`, details };
    return { ok: false, message: `flatten incomplete: the broker shows ${brokerQty} contract(s)${settled ? '' : ' (timed out waiting for the exit fill)'}; check the broker`, details };
  });
}
