import * as v from 'valibot';
import { parseVenueState, type VenueStateStore } from '../broker/sim/venue-state.ts';
import type { Repositories } from '../store/repositories.ts';

const VENUE_FACT = 'simVenue';

/** The paper exchange's account and market position, kept in the service's SQLite file so a kill -9 loses neither. */
export function factsVenueStore(repos: Repositories, now: () => number): VenueStateStore {
  return {
    load: () => {
      const raw = repos.facts.get(VENUE_FACT, v.unknown());
      return raw === null || raw === undefined ? null : parseVenueState(raw);
    },
    // The paper venue survives a process crash through the WAL; its writes need not wait for the
    // disk on every phase (a power cut may lose the last bar of a paper account, never the journal).
    save: (state) => repos.relaxedTransaction(() => repos.facts.set(VENUE_FACT, v.unknown(), state, now())),
  };
}
