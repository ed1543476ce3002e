import { IB_ADAPTER, IbBrokerError } from './codes.ts';
import { pickFrontMonth, type FutureContract } from './contract.ts';

/** What the roll needs to know at a decision point. */
export interface RollView {
  /** Listed MES futures (from contract details at connect). */
  readonly listed: readonly FutureContract[];
  /** The gateway's clock, epoch ms. */
  readonly now: number;
  readonly rollDays: number;
  /** The open MES positions by contract. */
  readonly positions: ReadonlyArray<{ readonly conId: number; readonly qty: number }>;
}

export type RollDecision =
  /** Trade `contract`; `changed` when it is not the one traded so far (resubscribe the bars). */
  | { readonly kind: 'trade'; readonly contract: FutureContract; readonly changed: boolean }
  /** A position is open in `held`, which has rolled: exits go there, entries are refused until it is closed. */
  | { readonly kind: 'hold'; readonly contract: FutureContract; readonly next: FutureContract; readonly qty: number };

/**
 * The roll while running. The contract to trade is the front month by pickFrontMonth's rule; the
 * bot never trades two contracts at once: while a position is open in the contract in use, that
 * contract stays in use (its exits, its stop) even past the roll day, and entries are refused
 * until it is flat; then the next entry moves to the new front month. The same rule decides at
 * connect (a reconnect after the roll date must not switch contracts under an open position) and
 * before every entry (the roll day can pass while connected). Closing the held position before
 * expiry is the trading core's job (the adapter raises rollPending with the deadline).
 */
export function decideRoll(current: FutureContract | null, view: RollView): RollDecision {
  const front = pickFrontMonth(view.listed, view.now, view.rollDays);
  const open = view.positions.filter((p) => p.qty !== 0);
  // At connect nothing is in use yet: an open position names the contract in use.
  const inUse = current ?? view.listed.find((c) => open.some((p) => p.conId === c.conId)) ?? null;
  if (inUse === null || inUse.conId === front.conId) return { kind: 'trade', contract: front, changed: inUse !== null && inUse.conId !== front.conId };
  const held = open.find((p) => p.conId === inUse.conId);
  if (held !== undefined) return { kind: 'hold', contract: inUse, next: front, qty: held.qty };
  return { kind: 'trade', contract: front, changed: true };
}

export function rollRefusal(d: Extract<RollDecision, { kind: 'hold' }>): IbBrokerError {
  return new IbBrokerError(
    IB_ADAPTER.rollPending,
    `entry refused: ${d.contract.localSymbol} (last trading day ${d.contract.lastTradeDate}) has rolled to ${d.next.localSymbol}, and ${Math.abs(d.qty)} contract(s) are still open in it. Exits go to ${d.contract.localSymbol}; close the position before ${d.contract.lastTradeDate}, then entries resume in ${d.next.localSymbol}`,
    true,
  );
}
