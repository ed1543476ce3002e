import * as v from 'valibot';

/** Request schemas (valibot, through Elysia's Standard Schema support). Query and path values arrive as text. */

const wholeNumber = (what: string, max: number) =>
  v.pipe(v.string(), v.regex(/^\d{1,9}$/, `expected ${what}`), v.transform(Number), v.maxValue(max, `expected ${what} ≤ ${max}`));

export const RunIdParams = v.object({ id: v.pipe(wholeNumber('a run id (a whole number)', 1e9), v.minValue(1, 'expected a run id ≥ 1')) });

export const PageQuery = v.object({
  page: v.optional(v.pipe(wholeNumber('a page number like 2', 1e6), v.minValue(1, 'expected a page number ≥ 1')), '1'),
});

export const RunTradesQuery = v.object({
  page: PageQuery.entries.page,
  fold: v.optional(wholeNumber('a fold number', 1e6)),
});

export const LimitQuery = v.object({
  limit: v.optional(v.pipe(wholeNumber('a limit from 1 to 500', 500), v.minValue(1, 'expected a limit ≥ 1')), '50'),
  offset: v.optional(wholeNumber('an offset ≥ 0', 1e9), '0'),
});

export const RunsQuery = v.object({
  ...LimitQuery.entries,
  kind: v.optional(v.picklist(['backtest', 'optimize', 'walkforward'], 'expected kind backtest, optimize or walkforward')),
});

export const HeatmapQuery = v.object({
  objective: v.optional(v.picklist(['sharpe', 'sortino', 'netPnl', 'profitFactor', 'expectancy'], 'expected objective sharpe, sortino, netPnl, profitFactor or expectancy')),
  x: v.optional(v.pipe(v.string(), v.maxLength(64))),
  y: v.optional(v.pipe(v.string(), v.maxLength(64))),
});

/** The CSRF field may ride along in a form body; the gate has already checked it. */
const csrfField = { _csrf: v.optional(v.pipe(v.string(), v.maxLength(128))) };

/** Pause, resume, reset: no arguments; an optional note goes to nobody but is length-checked. */
export const CommandBody = v.optional(v.object({ ...csrfField, note: v.optional(v.pipe(v.string('expected note to be text'), v.maxLength(200, 'expected a note of at most 200 characters'))) }));

/** Flatten closes a position at market: the body must say so, so a stray POST does nothing. */
export const FlattenBody = v.object({ ...csrfField, confirm: v.literal('yes', 'expected confirm: "yes" (flatten closes the position at market)') }, 'expected a body { "confirm": "yes" }');

export const LoginBody = v.object({ token: v.pipe(v.string('expected a token field'), v.maxLength(512, 'expected a token of at most 512 characters')) }, 'expected a form with a token field');
