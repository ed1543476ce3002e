import type { Status } from '../../src/web/view-models/dashboard.ts';

/** "MESH6 · CME · expires 2026-03-20 (75 days)"; marked when the roll window has begun. */
export function ContractItem(props: { status: Status }) {
  const { contract: c, mode } = props.status;
  if (!c) {
    return (
      <div class="item">
        <span class="label">Contract</span>
        <span class="value muted" data-testid="contract">
          {mode === 'sim' ? 'simulated series (no expiry)' : 'not resolved yet (connecting)'}
        </span>
      </div>
    );
  }
  const days = c.daysToExpiry === null ? '' : ` (${c.daysToExpiry === 1 ? '1 day' : `${c.daysToExpiry} days`})`;
  const title = c.inRollWindow
    ? `within ib.rollDaysBeforeExpiry (${c.rollDays} days) of the last trading day: the next entry trades the next month; a position open here must close before ${c.expiry ?? 'expiry'}`
    : `rolls ${c.rollDays} days before the last trading day`;
  return (
    <div class={`item${c.inRollWindow ? ' roll-window' : ''}`} data-testid="contract-item">
      <span class="label">Contract</span>
      <span class="value" data-testid="contract" title={title} safe>
        {`${c.localSymbol} · ${c.exchange} · expires ${c.expiry ?? 'unknown'}${days}`}
      </span>
      {c.inRollWindow ? (
        <span class="badge bad" data-testid="roll-window">
          roll window
        </span>
      ) : (
        ''
      )}
    </div>
  );
}
