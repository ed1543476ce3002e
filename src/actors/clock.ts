/**
 * Time as a port: actors read `now()` and schedule delays only through this (it is also the
 * clock handed to XState's `createActor`), so tests drive them with XState's SimulatedClock
 * (`clock.increment(60_000)`) and never wait on real time.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: (...args: unknown[]) => void, timeout: number): unknown;
  clearTimeout(id: unknown): void;
}

export const wallClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};
