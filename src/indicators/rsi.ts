/**
 * RSI with Wilder smoothing over `period` price changes:
 *   the first average gain/loss is the simple mean of the first `period` changes;
 *   after that avg = (avg·(period − 1) + current) / period.
 *   RSI = 100 − 100 / (1 + avgGain / avgLoss); 100 when avgLoss = 0 < avgGain; 50 when both are 0.
 * The first value appears after period + 1 closes.
 */
export class Rsi {
  private prev = Number.NaN;
  private changes = 0;
  private gainSum = 0;
  private lossSum = 0;
  private avgGain = 0;
  private avgLoss = 0;

  constructor(readonly period: number) {
    if (!Number.isInteger(period) || period < 1) throw new RangeError(`RSI period must be an integer ≥ 1, got ${period}`);
  }

  push(close: number): number | null {
    if (!Number.isFinite(close)) throw new RangeError(`close must be a finite number, got ${close}`);
    const prev = this.prev;
    this.prev = close;
    if (Number.isNaN(prev)) return null;
    const change = close - prev;
    const gain = change > 0 ? change : 0;
    const loss = change < 0 ? -change : 0;
    this.changes++;
    if (this.changes < this.period) {
      this.gainSum += gain;
      this.lossSum += loss;
      return null;
    }
    if (this.changes === this.period) {
      this.avgGain = (this.gainSum + gain) / this.period;
      this.avgLoss = (this.lossSum + loss) / this.period;
    } else {
      this.avgGain = (this.avgGain * (this.period - 1) + gain) / this.period;
      this.avgLoss = (this.avgLoss * (this.period - 1) + loss) / this.period;
    }
    if (this.avgLoss === 0) return this.avgGain === 0 ? 50 : 100;
    return 100 - 100 / (1 + this.avgGain / this.avgLoss);
  }

  reset(): void {
    this.prev = Number.NaN;
    this.changes = 0;
    this.gainSum = this.lossSum = this.avgGain = this.avgLoss = 0;
  }
}
