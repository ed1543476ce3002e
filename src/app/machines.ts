import type { AnyStateMachine } from 'xstate';
import { circuitBreakerMachine } from '../actors/circuit-breaker.machine.ts';
import { connectionMachine } from '../actors/connection.machine.ts';
import { notifierMachine } from '../actors/notifier.machine.ts';
import { positionMachine } from '../actors/position.machine.ts';
import { strategyMachine } from '../actors/strategy.machine.ts';
import { supervisorMachine } from '../actors/supervisor.machine.ts';

/**
 * The machines the visualizer draws, keyed by the id their actor runs under (the supervisor's
 * child systemIds, which are also the `actor` of recorded transitions). The definitions are the
 * ones in src/actors: what the service `.provide()`s replaces implementations, never states.
 */
export const MACHINES = {
  supervisor: supervisorMachine,
  connection: connectionMachine,
  strategy: strategyMachine,
  position: positionMachine,
  circuitBreaker: circuitBreakerMachine,
  notifier: notifierMachine,
} as const satisfies Record<string, AnyStateMachine>;

export type MachineId = keyof typeof MACHINES;

export const MACHINE_IDS = Object.keys(MACHINES) as MachineId[];

export const isMachineId = (id: string): id is MachineId => Object.hasOwn(MACHINES, id);
