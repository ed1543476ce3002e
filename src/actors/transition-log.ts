import type { AnyActorRef, InspectionEvent } from 'xstate';
import type { Repositories } from '../store/repositories.ts';
import type { TransitionInput } from '../store/transitions.ts';
import type { Clock } from './clock.ts';

export interface TransitionRecord {
  readonly time: number;
  /** The market's clock (end of the last bar seen); null before the first bar or when not recorded. */
  readonly marketTime: number | null;
  readonly actor: string;
  readonly from: string;
  readonly to: string;
  readonly event: string;
}

/** A state value as one dotted string: { open: 'long' } → "open.long". */
export function stateString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}.${stateString(v)}`).join(',');
  return String(value);
}

const BUFFER = 500;
const KEEP_PER_ACTOR = 5000;

/**
 * Watches the actor system through XState's inspection API: every state change of a child with a
 * systemId goes into a bounded in-memory buffer (for live views) and into SQLite (for replay);
 * the breaker's state needs no fact of its own: it is projected from the engine's snapshot.
 *
 * The inspector runs inside the actor that is processing, on the bar → order path: the rows are
 * written once that work is done (a microtask), all of a turn's in one transaction without an
 * fsync, instead of one fsynced commit per transition in the middle of it.
 */
export class TransitionLog {
  private readonly buffer: TransitionRecord[] = [];
  private readonly last = new Map<AnyActorRef, string>();
  private readonly listeners = new Set<(r: TransitionRecord) => void>();
  private pending: TransitionInput[] = [];
  private writes = 0;

  constructor(
    private readonly repos: Repositories,
    private readonly clock: Clock,
    /** Ids of the actors to record (the supervisor's children). */
    private readonly actors: ReadonlySet<string>,
    private readonly marketNow: () => number | null = () => null,
    /** A batch could not be written (disk full): recording is not worth trading, so it is only reported. */
    private readonly onWriteFailed: (error: unknown) => void = () => {},
  ) {}

  observe(e: InspectionEvent): void {
    if (e.type !== '@xstate.snapshot') return;
    const ref = e.actorRef as AnyActorRef;
    const actor = ref.id;
    const snapshot = e.snapshot as { value?: unknown; context?: unknown };
    if (!this.actors.has(actor) || snapshot.value === undefined) return;
    const to = stateString(snapshot.value);
    const from = this.last.get(ref);
    if (from === to) return;
    this.last.set(ref, to);
    const record: TransitionRecord = { time: this.clock.now(), marketTime: this.marketNow(), actor, from: from ?? '(start)', to, event: e.event.type };
    this.buffer.push(record);
    if (this.buffer.length > BUFFER) this.buffer.shift();
    if (this.pending.push({ time: record.time, marketTime: record.marketTime, actor, fromState: record.from, toState: to, eventType: record.event }) === 1) queueMicrotask(() => this.flush());
    for (const l of this.listeners) l(record);
  }

  /** Writes the transitions observed since the last flush (called by itself once the current work is done). */
  flush(): void {
    const rows = this.pending;
    if (rows.length === 0) return;
    this.pending = [];
    try {
      this.repos.transitions.appendAll(rows);
      const before = this.writes;
      this.writes += rows.length;
      if (Math.floor(this.writes / 1000) > Math.floor(before / 1000)) this.repos.transitions.prune(KEEP_PER_ACTOR);
    } catch (e) {
      this.onWriteFailed(e);
    }
  }

  recent(actor?: string): TransitionRecord[] {
    return actor === undefined ? [...this.buffer] : this.buffer.filter((r) => r.actor === actor);
  }

  onTransition(listener: (r: TransitionRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
