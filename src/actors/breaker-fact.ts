import * as v from 'valibot';

/** The circuit breaker's context as a persisted fact: its state survives a restart. */
export const BreakerContextSchema = v.object({
  reason: v.nullable(v.picklist(['daily_loss', 'drawdown', 'supervisor', 'manual'])),
  detail: v.nullable(v.string()),
  until: v.nullable(v.number()),
  session: v.nullable(v.number()),
  since: v.nullable(v.number()),
});

export const BREAKER_FACT = 'breaker';
