import { IB_ADAPTER, IbBrokerError } from './codes.ts';
import { closeDeadline, expiryTime, pickFrontMonth, type FutureContract } from './contract.ts';

/** What the roll needs to know at a decision point. */
export interface RollView {
  /** Listed MES futures (from contract details at connect). */
  readonly listed: readonly FutureContract[];
  /** The gateway's clock, epoch ms. */
  readonly now: number;
  readonly rollDays: number;
  /** Hours before expiry by which a position in the expiring contract is closed (ib.closeHoursBeforeExpiry). */
  readonly closeHours: number;
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
 * before every entry (the roll day can pass while connected). A held position is closed at its
 * deadline (closeDue), after which the hold ends and the next contract is traded.
 */
export function decideRoll(current: FutureContract | null, view: RollView): RollDecision {
  const front = pickFrontMonth(view.listed, view.now, view.rollDays, view.closeHours);
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

/** What happens to a position still open in the expiring contract (ib.expiringPosition). */
export type ExpiringPolicy = 'close';

export interface CloseDue {
  readonly contract: FutureContract;
  readonly next: FutureContract;
  readonly qty: number;
  readonly expiry: number;
  readonly deadline: number;
}

/**
 * Whether a held position must be closed now: it is held in a rolled contract (decideRoll's
 * `hold`) and the gateway's clock has reached the contract's close deadline. At the deadline
 * itself the close is due ("closed by 09:30" means the order goes at 09:30, not after it).
 */
export function closeDue(d: RollDecision, now: number, closeHours: number): CloseDue | null {
  if (d.kind !== 'hold') return null;
  const deadline = closeDeadline(d.contract, closeHours);
  const expiry = expiryTime(d.contract);
  // An unreadable expiry cannot be waited for: close rather than risk carrying it into expiry.
  if (deadline === null || expiry === null) return { contract: d.contract, next: d.next, qty: d.qty, expiry: now, deadline: now };
  return now >= deadline ? { contract: d.contract, next: d.next, qty: d.qty, expiry, deadline } : null;
}

export function closeNotice(c: CloseDue, policy: ExpiringPolicy, closeHours: number): string {
  const at = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return (
    `${c.contract.localSymbol} expires ${at(c.expiry)} (last trading day ${c.contract.lastTradeDate}) and ${Math.abs(c.qty)} contract(s) ${c.qty > 0 ? 'long' : 'short'} are still open in it ` +
    `past the close deadline ${at(c.deadline)} (ib.closeHoursBeforeExpiry ${closeHours}): ib.expiringPosition is ${policy}, so the position is being closed at market; entries resume in ${c.next.localSymbol}`
  );
}
