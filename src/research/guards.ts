import type { GridRow, Objective, Params } from '../domain/research.ts';
import { dsrOfGrid, type DsrReport } from './dsr.ts';
import { pbo, type PboReport } from './pbo.ts';
import { stability, type Stability } from './stability.ts';

/** The overfitting guards of a grid search, for its chosen (best-ranked) set. */
export interface Guards {
  readonly dsr: DsrReport;
  readonly pbo: PboReport;
  readonly stability: Stability;
}

export interface GuardsInput {
  readonly rows: readonly GridRow[];
  /** Per-session returns of every set, in the order of `rows`' grid (the same sessions for all). */
  readonly dailyReturns: readonly (readonly number[])[];
  /** Index into `dailyReturns` of the chosen set. */
  readonly chosenIndex: number;
  readonly chosen: Params;
  readonly objective: Objective;
}

export function guards(input: GuardsInput): Guards {
  return {
    dsr: dsrOfGrid(input.dailyReturns, input.chosenIndex),
    pbo: pbo(input.dailyReturns),
    stability: stability(input.rows, input.chosen, input.objective),
  };
}
