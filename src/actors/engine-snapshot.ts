import * as v from 'valibot';

/** The engine's state as a persisted fact (key 'engine'): checked on the way in and out. */
const side = v.picklist(['long', 'short']);
const finite = v.pipe(v.number(), v.finite());
const cents = v.pipe(v.number(), v.integer());

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
  halted: v.boolean(),
  sessionBlocked: v.boolean(),
  paused: v.boolean(),
  // Absent in snapshots written before it existed.
  operatorHalt: v.optional(v.boolean(), false),
  streak: v.object({ losses: v.pipe(v.number(), v.integer()), pauseUntil: finite }),
});

export const ENGINE_FACT = 'engine';
