import { entryAction, exitAction, type ExitReason, type OrderRequest, type Side } from '../domain/trading.ts';
import { bracketLevels } from '../risk/rules.ts';
import type { EngineSettings } from './settings.ts';

/**
 * Decision → order, the one place it happens (STYLE §1, §15), and the client-reference grammar
 * every other module reads through `refRole` / `bracketOf` instead of parsing strings itself:
 *
 *   E<bar time>          entry, decided at that bar's close
 *   E<bar time>-S / -T   its protective stop / target (children of the entry, OCA group = entry ref)
 *   <entry>-R<time>-S    a stop placed again by reconciliation, in the same OCA group
 *   X<bar time>          an exit decided at that bar's close, in the position's OCA group
 *   F<time>-<n>          a flatten's closing order
 *
 * A ref is derived from the bar that decided it, so the same decision replayed after a crash gets
 * the same ref, which the journal never sends twice.
 */

export type RefRole = 'entry' | 'stop' | 'target' | 'exit' | 'flatten' | 'foreign';

export const entryRef = (barTime: number): string => `E${barTime}`;
export const exitRef = (barTime: number): string => `X${barTime}`;
export const flattenRef = (time: number, n: number): string => `F${time}-${n}`;
export const repairStopRef = (bracket: string, time: number): string => `${bracket}-R${time}-S`;

const ENTRY = /^E\d+$/;
const LEG = /^(E\d+)(?:-R\d+)?-([ST])$/;

export function refRole(ref: string): RefRole {
  if (ENTRY.test(ref)) return 'entry';
  const leg = LEG.exec(ref);
  if (leg) return leg[2] === 'S' ? 'stop' : 'target';
  if (/^X\d+$/.test(ref)) return 'exit';
  if (/^F\d+-\d+$/.test(ref)) return 'flatten';
  return 'foreign';
}

/** The entry ref (= OCA group) a stop or target belongs to; null for any other ref. */
export function bracketOf(ref: string): string | null {
  return LEG.exec(ref)?.[1] ?? null;
}

/** What a closing fill of this order means for the trade's exit reason. */
export function exitReasonOf(ref: string, stored: ExitReason | 'entry' | null | undefined): ExitReason {
  const role = refRole(ref);
  if (role === 'stop') return 'stop';
  if (role === 'target') return 'target';
  if (role === 'flatten') return 'flatten';
  return stored && stored !== 'entry' ? stored : 'signal';
}

export interface BracketOrders {
  readonly entry: OrderRequest;
  readonly stop: OrderRequest;
  readonly target: OrderRequest;
}

/**
 * An entry at market with its stop and target attached. The venue needs prices now; they are
 * measured from `reference` (the deciding bar's close). Once the entry fills, the legs are moved
 * to the levels measured from the fill (`bracketLevels`), which is what the backtester uses.
 */
export function entryBracket(side: Side, qty: number, ref: string, reference: number, s: EngineSettings): BracketOrders {
  const { stop, target } = bracketLevels(side, reference, s.stopLossPerContract, s.takeProfitPerContract);
  const action = exitAction(side);
  return {
    entry: { ref, action: entryAction(side), type: 'market', qty, reason: 'entry' },
    stop: { ref: `${ref}-S`, action, type: 'stop', qty, price: stop, ocaGroup: ref, parentRef: ref, reason: 'stop' },
    target: { ref: `${ref}-T`, action, type: 'limit', qty, price: target, ocaGroup: ref, parentRef: ref, reason: 'target' },
  };
}

/**
 * A market order closing `qty` of a `side` position. It joins the position's OCA group, so the
 * venue cancels the stop and target when it fills (and cancels it if a leg fills first): the
 * protective stop is never withdrawn before the order that replaces it is working.
 */
export function closingOrder(side: Side, qty: number, ref: string, reason: ExitReason, ocaGroup: string | null): OrderRequest {
  return { ref, action: exitAction(side), type: 'market', qty, reason, ...(ocaGroup === null ? {} : { ocaGroup }) };
}

/** A protective stop for an open position that lost its own (reconciliation's repair). */
export function protectiveStop(side: Side, qty: number, price: number, ocaGroup: string, time: number): OrderRequest {
  return { ref: repairStopRef(ocaGroup, time), action: exitAction(side), type: 'stop', qty, price, ocaGroup, reason: 'stop' };
}
