/**
 * A progress bar on stderr, drawn only when stderr is a terminal and not in --json mode, and at
 * most every 100 ms so it never slows the work it reports on.
 */
export class Progress {
  private done = 0;
  private lastDraw = 0;
  private readonly started = performance.now();
  private readonly enabled: boolean;

  constructor(
    private readonly label: string,
    private readonly total: number,
    opts: { quiet?: boolean } = {},
  ) {
    this.enabled = !opts.quiet && process.stderr.isTTY === true;
  }

  tick(n = 1): void {
    this.done += n;
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && this.done < this.total) return;
    this.lastDraw = now;
    this.draw(now);
  }

  finish(): void {
    if (!this.enabled) return;
    this.draw(performance.now());
    process.stderr.write('\n');
  }

  private draw(now: number): void {
    const frac = this.total > 0 ? Math.min(1, this.done / this.total) : 1;
    const width = 30;
    const filled = Math.round(frac * width);
    const elapsed = (now - this.started) / 1000;
    const eta = frac > 0 && frac < 1 ? ` eta ${((elapsed / frac) * (1 - frac)).toFixed(0)}s` : '';
    process.stderr.write(`\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total} ${(frac * 100).toFixed(0)}% ${elapsed.toFixed(1)}s${eta}   `);
  }
}
