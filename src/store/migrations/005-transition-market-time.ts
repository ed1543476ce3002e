import type { Migration } from '../migration.ts';

/**
 * The market's clock beside the wall clock on every recorded transition: the end of the last bar
 * the service had seen (in sim the market runs faster than the wall; in a replay of last night the
 * bar time is the one that explains a trip). Additive: rows recorded before have none (NULL).
 */
export const transitionMarketTime: Migration = {
  version: 5,
  name: 'market time of transitions',
  up: 'ALTER TABLE transitions ADD COLUMN market_time INTEGER',
};
