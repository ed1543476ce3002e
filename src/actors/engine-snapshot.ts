import * as v from 'valibot';
import type { EngineState } from '../engine/engine.ts';

/** The engine's state as a persisted fact (key 'engine'): checked on the way in and out. */
const side = v.picklist(['long', 'short']);
const finite = v.pipe(v.number(), v.finite());
const cents = v.pipe(v.number(), v.integer());

const HaltSchema = v.object({
  reason: v.picklist(['daily_loss', 'drawdown', 'supervisor', 'manual', 'reconcile', 'store']),
  since: finite,
  session: finite,
  detail: v.string(),
});

export const EngineSnapshotSchema = v.object({
  position: v.nullable(
    v.object({
      side,
      qty: v.pipe(v.number(), v.integer(), v.minValue(1)),
      entryPrice: finite,
      entryTime: finite,
      stop: finite,
      target: finite,
      entryCommissionCents: cents,
    }),
  ),
  realisedCents: cents,
  sessionStart: v.union([finite, v.nan()]),
  sessionRealisedCents: cents,
  peakEquityCents: cents,
  equityCents: cents,
  halt: v.nullable(HaltSchema),
  paused: v.boolean(),
  streak: v.object({ losses: v.pipe(v.number(), v.integer()), pauseUntil: finite }),
});

/** The snapshot's shape is the engine's state, field for field: a field added to one and not the other fails to compile. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<v.InferOutput<typeof EngineSnapshotSchema>, EngineState> = true;
void sameShape;

/** Snapshots written before halts had reasons: `halted` (drawdown), `sessionBlocked` (daily loss), `operatorHalt`. */
const LegacySchema = v.object({
  ...v.omit(EngineSnapshotSchema, ['halt']).entries,
  halted: v.boolean(),
  sessionBlocked: v.boolean(),
  operatorHalt: v.optional(v.boolean(), false),
});

/** The stored snapshot, in the current shape (older shapes converted), or null when there is none. */
export function restoreSnapshot(raw: unknown): EngineState | null {
  if (raw === null || raw === undefined) return null;
  const current = v.safeParse(EngineSnapshotSchema, raw);
  if (current.success) return current.output as EngineState;
  const legacy = v.parse(LegacySchema, raw);
  const { halted, sessionBlocked, operatorHalt, ...rest } = legacy;
  const reason = operatorHalt ? 'manual' : halted ? 'drawdown' : sessionBlocked ? 'daily_loss' : null;
  return { ...rest, halt: reason === null ? null : { reason, since: rest.sessionStart, session: rest.sessionStart, detail: 'restored from an older snapshot' } } as EngineState;
}

export const ENGINE_FACT = 'engine';
