import type { CommandResult, OpenPosition } from '../../src/web/view-models/dashboard.ts';
import { money, price } from '../format.ts';
import type { ViewerModel } from '../../src/web/view-models/viewer.ts';

const COMMANDS = [
  { path: 'pause', label: 'Pause', hint: 'no new entries; an open position keeps its stop and target' },
  { path: 'resume', label: 'Resume', hint: 'allow entries again' },
  { path: 'reset-breaker', label: 'Reset breaker', hint: 'clear a halt or cooldown' },
] as const;

/**
 * Pause, Resume, Reset breaker and Flatten. Enabled only for a logged-in browser; htmx sends the
 * CSRF token in a header (set on <body>), and each answer lands in #command-result.
 */
export function ControlsPanel(props: { viewer: ViewerModel }) {
  const { viewer } = props;
  const enabled = viewer.loggedIn;
  return (
    <div class="controls" data-testid="controls">
      {!viewer.tokenConfigured ? (
        <p class="hint" data-testid="controls-hint">
          Controls are disabled: no dashboard token is configured. Set <code>QS_DASHBOARD_TOKEN</code> in the environment and restart.
        </p>
      ) : !enabled ? (
        <p class="hint" data-testid="controls-hint">
          Controls need the dashboard token: <a href="/login">log in</a>.
        </p>
      ) : (
        ''
      )}
      <div class="buttons">
        {COMMANDS.map((c) => (
          <form hx-post={`/api/commands/${c.path}`} hx-target="#command-result" hx-disabled-elt="find button" class="inline">
            <button type="submit" disabled={!enabled} title={c.hint} data-testid={`cmd-${c.path}`}>
              {c.label}
            </button>
          </form>
        ))}
        <button type="button" class="danger" disabled={!enabled} hx-get="/fragments/flatten-confirm" hx-target="#flatten-box" data-testid="cmd-flatten" title="close the position at market and pause entries">
          Flatten…
        </button>
      </div>
      <div id="flatten-box"></div>
      <div id="command-result" role="status" aria-live="polite"></div>
    </div>
  );
}

/** The confirm step restates what will be closed; nothing is sent until the second, explicit click. */
export function FlattenConfirm(props: { position: OpenPosition | null }) {
  const p = props.position;
  return (
    <div class="confirm" data-testid="flatten-confirm">
      <p data-testid="flatten-what" safe>
        {p
          ? `This closes ${p.side.toUpperCase()} ${p.qty} MES (entry ${price(p.entryPrice)}, now ${price(p.markPrice)}, unrealised ${money(p.unrealised)}) at market, cancels its stop ${price(p.stop)} and target ${price(p.target)} and every other working order, and pauses new entries.`
          : 'No position is open: this cancels any working orders and pauses new entries.'}
      </p>
      <p>Flatten now?</p>
      <form hx-post="/api/commands/flatten" hx-target="#command-result" hx-disabled-elt="find button" class="inline">
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" class="danger" data-testid="flatten-yes">
          Yes, flatten now
        </button>
        <span class="htmx-indicator muted">flattening…</span>
      </form>
      <button type="button" hx-get="/fragments/empty" hx-target="#flatten-box" data-testid="flatten-cancel">
        Cancel
      </button>
    </div>
  );
}

/** What a command did, in the facade's words; also clears the confirm box. */
export function CommandResultView(props: { command: string; result: CommandResult }) {
  const { result } = props;
  return (
    <>
      <p class={`result ${result.ok ? 'ok' : 'fail'}`} data-testid="command-result">
        <strong safe>{props.command}</strong>: <span safe>{result.message}</span>
      </p>
      <div id="flatten-box" hx-swap-oob="true"></div>
    </>
  );
}

/** A refused command (401/403/413/422), shown where a result would be. */
export function CommandError(props: { message: string }) {
  return (
    <p class="result fail" data-testid="command-result" safe>
      {props.message}
    </p>
  );
}
