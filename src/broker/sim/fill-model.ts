import { fromTicks, toTicks } from '../../domain/money.ts';
import type { OrderAction, Side } from '../../domain/trading.ts';

/**
 * How the paper exchange fills orders against a bar; the backtester and the live sim broker both
 * use these functions, so their fills agree to the tick. Rules (README "Backtest assumptions"):
 * market orders fill at the bar's open, `slippageTicks` against the trader; a stop fills at its
 * price, or at the open when the bar opens beyond it, with the same slippage; a target (limit)
 * fills at its price, or at the better open, without slippage; a bar touching both: the stop wins.
 */

export function marketFillPrice(open: number, action: OrderAction, slippageTicks: number): number {
  return fromTicks(toTicks(open) + (action === 'buy' ? slippageTicks : -slippageTicks));
}

export interface BracketHit {
  readonly price: number;
  readonly reason: 'stop' | 'target';
}

/**
 * Fill price of a stop order against a bar, or null when the bar does not reach it. A sell stop
 * triggers when low ≤ stop, a buy stop when high ≥ stop; it fills at the stop, or at the open
 * when the bar opens through it, with slippage against the trader.
 */
export function stopFillPrice(action: OrderAction, stop: number, open: number, high: number, low: number, slippageTicks: number): number | null {
  if (action === 'sell') return low <= stop ? marketFillPrice(open <= stop ? open : stop, 'sell', slippageTicks) : null;
  return high >= stop ? marketFillPrice(open >= stop ? open : stop, 'buy', slippageTicks) : null;
}

/**
 * Fill price of a limit order against a bar, or null when the bar does not reach it. A sell limit
 * fills when high ≥ limit, a buy limit when low ≤ limit; at the limit, or at the better open,
 * without slippage (a resting limit is the liquidity, it does not cross the spread).
 */
export function limitFillPrice(action: OrderAction, limit: number, open: number, high: number, low: number): number | null {
  if (action === 'sell') return high >= limit ? (open >= limit ? open : limit) : null;
  return low <= limit ? (open <= limit ? open : limit) : null;
}

/**
 * The stop or target a position's bar hits, or null; the stop wins a bar that touches both. The
 * backtester's hot loop calls this on every bar in a position, and most bars touch neither: that
 * test is all this function does, small enough for the JIT to inline; a touch goes to bracketFill.
 */
export function bracketHit(side: Side, stop: number, target: number, open: number, high: number, low: number, slippageTicks: number): BracketHit | null {
  if (side === 'long' ? low > stop && high < target : high < stop && low > target) return null;
  return bracketFill(side, stop, target, open, high, low, slippageTicks);
}

/** stopFillPrice/limitFillPrice written out for a bar that touches the bracket (a test holds the two in agreement). */
function bracketFill(side: Side, stop: number, target: number, open: number, high: number, low: number, slippageTicks: number): BracketHit | null {
  if (side === 'long') {
    if (low <= stop) return { price: marketFillPrice(open <= stop ? open : stop, 'sell', slippageTicks), reason: 'stop' };
    if (high >= target) return { price: open >= target ? open : target, reason: 'target' };
    return null;
  }
  if (high >= stop) return { price: marketFillPrice(open >= stop ? open : stop, 'buy', slippageTicks), reason: 'stop' };
  if (low <= target) return { price: open <= target ? open : target, reason: 'target' };
  return null;
}
