import { fromPromise, type NonReducibleUnknown, type SimulatedClock } from 'xstate';
import type { LogFields, Logger, LogLevel } from '../../src/domain/log.ts';

/** A real SQLite store in a fresh temp dir per test (with `reopen()` to simulate a restart). */
export { useTempStore, type TempStore } from '../store/temp-store.ts';

/**
 * Lets every pending promise callback run. Invoked `fromPromise` actors settle on microtasks,
 * which all drain before the next macrotask; two rounds cover a settle that queues another.
 */
export async function flush(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Moves simulated time forward (firing due `after` timers), then lets promises settle. */
export async function advance(clock: SimulatedClock, ms: number): Promise<void> {
  clock.increment(ms);
  await flush();
}

export interface Recorded<N extends string> {
  readonly name: N;
  readonly params: unknown;
}

/**
 * Provided actions that record their calls, for `.provide({ actions: spy.actions })`:
 * `spy.of('onTripped')` lists the params of each call in order, `spy.names()` the call order.
 */
export function actionSpy<const N extends string>(names: readonly N[]) {
  const calls: Recorded<N>[] = [];
  // `any` params: each machine types its own action params; the spy only records them.
  type Impl = (_: unknown, params: any) => void;
  const actions = Object.fromEntries(names.map((name) => [name, ((_, params) => void calls.push({ name, params })) as Impl])) as Record<N, Impl>;
  return {
    calls,
    actions,
    of: (name: N): unknown[] => calls.filter((c) => c.name === name).map((c) => c.params),
    names: (): N[] => calls.map((c) => c.name),
    clear: () => void calls.splice(0),
  };
}

export interface LogLine {
  readonly level: LogLevel;
  readonly event: string;
  readonly fields: LogFields | undefined;
}

/** A Logger that keeps its lines, for asserting what was logged. */
export function memoryLogger(): Logger & { readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLevel) => (event: string, fields?: LogFields) => void lines.push({ level, event, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export interface PendingCall<T, I> {
  readonly input: I;
  readonly signal: AbortSignal;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * A `fromPromise` actor the test settles by hand: each invocation is recorded with its input,
 * and stays pending until the test calls `resolve` or `reject` on it.
 */
export function controlledPromise<T, I = NonReducibleUnknown>() {
  const calls: PendingCall<T, I>[] = [];
  const logic = fromPromise<T, I>(({ input, signal }) => new Promise<T>((resolve, reject) => void calls.push({ input, signal, resolve, reject })));
  const last = (): PendingCall<T, I> => {
    const call = calls.at(-1);
    if (!call) throw new Error('the actor was never invoked');
    return call;
  };
  return {
    logic,
    calls,
    last,
    /** Settles the latest invocation and lets the machine react to it. */
    async resolve(value: T): Promise<void> {
      last().resolve(value);
      await flush();
    },
    async reject(error: unknown): Promise<void> {
      last().reject(error);
      await flush();
    },
  };
}
