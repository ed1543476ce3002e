import type { StoredRun } from '../../src/web/view-models/research.ts';

/** Label and delete a run; enabled for a logged-in browser (the gate checks token and CSRF). */
export function RunActions(props: { run: Pick<StoredRun, 'id' | 'note'>; enabled: boolean; result?: { ok: boolean; message: string } }) {
  const { run, enabled } = props;
  return (
    <div id="run-actions" class="run-actions" data-testid="run-actions">
      <form hx-post={`/backtests/${run.id}/label`} hx-target="#run-actions" hx-swap="outerHTML" class="inline">
        <label>
          Label <input type="text" name="label" maxlength="200" value={run.note ?? ''} disabled={!enabled} data-testid="run-label" />
        </label>
        <button type="submit" class="small" disabled={!enabled} data-testid="run-label-save">
          Save
        </button>
      </form>
      <form hx-post={`/backtests/${run.id}/delete`} hx-confirm={`Delete run #${run.id} with its trades? This cannot be undone.`} class="inline">
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" class="danger small" disabled={!enabled} data-testid="run-delete">
          Delete run
        </button>
      </form>
      {enabled ? '' : <span class="muted small">Labelling and deleting need the dashboard token: <a href="/login">log in</a>.</span>}
      {props.result ? <span class={props.result.ok ? 'muted small' : 'loss small'} role="status" safe>{props.result.message}</span> : ''}
    </div>
  );
}
