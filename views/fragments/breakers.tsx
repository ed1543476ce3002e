import type { ActorView, BreakerEvent, Breakers } from '../../src/web/view-models/dashboard.ts';
import { Badge, type BadgeTone } from '../components/bits.tsx';
import { nyDateTime } from '../../src/web/view-models/trading-display.ts';
import { dateTime } from '../format.ts';

const BREAKER_TONE: Record<string, BadgeTone> = { closed: 'ok', cooldown: 'warn', halted: 'bad' };
const EVENT_TONE: Record<BreakerEvent['kind'], BadgeTone> = { trip: 'bad', cooldown: 'warn', reset: 'ok', cooldown_end: 'ok' };

/** The breaker now, and every trip, cooldown and reset with its reason and time. */
export function BreakersPanel(props: { breakers: Breakers }) {
  const b = props.breakers;
  // The breaker's context is spread into the answer untyped; read only what is there.
  const ctx = b as Record<string, unknown>;
  const reason = typeof ctx.reason === 'string' ? ctx.reason : null;
  const until = typeof ctx.until === 'number' ? ctx.until : null;
  return (
    <div data-testid="breakers">
      <p>
        Circuit breaker <Badge tone={BREAKER_TONE[b.state] ?? 'warn'} text={b.state} testid="breaker-state" />
        {reason ? <span class="muted" safe>{` reason: ${reason}`}</span> : ''}
        {until ? <span class="muted" safe>{` until ${nyDateTime(until)} New York`}</span> : ''}
      </p>
      {b.events.length === 0 ? (
        <p class="muted">No trips recorded.</p>
      ) : (
        <div class="table-wrap short">
          <table>
            <thead>
              <tr>
                <th>Time (UTC)</th>
                <th>Event</th>
                <th>Reason</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {b.events.slice(0, 20).map((e) => (
                <tr>
                  <td safe>{dateTime(e.time)}</td>
                  <td>
                    <Badge tone={EVENT_TONE[e.kind] ?? 'info'} text={e.kind} />
                  </td>
                  <td safe>{e.reason ?? '—'}</td>
                  <td safe>{`${e.detail ?? ''}${e.until ? ` (until ${nyDateTime(e.until)} New York)` : ''}` || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function actorTone(a: ActorView): BadgeTone {
  if (a.failed) return 'bad';
  if (a.state === 'stopped') return 'muted';
  return a.restarts > 0 ? 'warn' : 'ok';
}

export function ActorsPanel(props: { actors: readonly ActorView[] }) {
  return (
    <div class="table-wrap" data-testid="actors">
      <table>
        <thead>
          <tr>
            <th>Actor</th>
            <th>State</th>
            <th class="num">Restarts</th>
            <th>Last error</th>
          </tr>
        </thead>
        <tbody>
          {props.actors.map((a) => (
            <tr data-actor={a.id}>
              <td safe>{a.id}</td>
              <td>
                <Badge tone={actorTone(a)} text={a.failed ? `${a.state} (failed)` : a.state} />
              </td>
              <td class="num">{a.restarts}</td>
              <td class="muted" safe>{a.lastError === null || a.lastError === undefined ? '—' : String(a.lastError)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
