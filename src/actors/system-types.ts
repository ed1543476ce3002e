import type { BreakerEvent } from './circuit-breaker.machine.ts';
import type { ConnectionMachineEvent } from './connection.machine.ts';
import type { NotifierEvent } from './notifier.machine.ts';
import type { PositionEvent } from './position.machine.ts';
import type { StrategyEvent } from './strategy.machine.ts';

/** The supervisor's children, by systemId. */
export const CHILD_IDS = ['circuitBreaker', 'notifier', 'position', 'connection', 'strategy'] as const;
export type ChildId = (typeof CHILD_IDS)[number];

/** What each child accepts: `send('position', …)` takes only a position event. */
export interface ChildEvents {
  readonly circuitBreaker: BreakerEvent;
  readonly notifier: NotifierEvent;
  readonly position: PositionEvent;
  readonly connection: ConnectionMachineEvent;
  readonly strategy: StrategyEvent;
}

export type Send = <K extends ChildId>(id: K, event: ChildEvents[K]) => void;
