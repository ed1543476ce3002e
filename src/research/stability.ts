import type { GridRow, Objective, Params } from '../domain/research.ts';

/**
 * Parameter stability around the chosen set (README "Research"): for each parameter of the grid,
 * the objective along that parameter with every other parameter held at the chosen value; and the
 * chosen set's neighbours — the sets one grid step away in exactly one parameter. A plateau (the
 * neighbours' mean close to the chosen value) is more trustworthy than a lone peak.
 */

export interface ProfilePoint {
  readonly value: number;
  readonly objective: number | null;
  readonly trades: number;
  readonly chosen: boolean;
}

export interface Stability {
  readonly objective: Objective;
  readonly chosen: Params;
  readonly chosenValue: number | null;
  readonly profiles: ReadonlyArray<{ readonly param: string; readonly points: readonly ProfilePoint[] }>;
  readonly neighbours: number;
  readonly neighbourMean: number | null;
  readonly neighbourMin: number | null;
  /** neighbourMean / chosenValue when the chosen value is positive, else null. */
  readonly retained: number | null;
}

const sameExcept = (a: Params, b: Params, key: string) => Object.keys(a).every((k) => k === key || a[k] === b[k]);

export function stability(rows: readonly GridRow[], chosen: Params, objective: Objective): Stability {
  const keys = Object.keys(chosen);
  const valueOf = (r: GridRow) => r.metrics[objective];
  const self = rows.find((r) => keys.every((k) => r.params[k] === chosen[k]));
  const chosenValue = self ? valueOf(self) : null;
  const profiles: Array<{ param: string; points: ProfilePoint[] }> = [];
  const near: number[] = [];
  let neighbours = 0;
  for (const key of keys) {
    const line = rows.filter((r) => sameExcept(r.params, chosen, key)).sort((a, b) => a.params[key]! - b.params[key]!);
    const values = [...new Set(line.map((r) => r.params[key]!))];
    if (values.length < 2) continue;
    profiles.push({ param: key, points: line.map((r) => ({ value: r.params[key]!, objective: valueOf(r), trades: r.metrics.trades, chosen: r.params[key] === chosen[key] })) });
    const at = values.indexOf(chosen[key]!);
    for (const v of [values[at - 1], values[at + 1]]) {
      if (v === undefined) continue;
      const r = line.find((x) => x.params[key] === v);
      if (!r) continue;
      neighbours++;
      const o = valueOf(r);
      if (o !== null) near.push(o);
    }
  }
  const neighbourMean = near.length > 0 ? near.reduce((a, b) => a + b, 0) / near.length : null;
  return {
    objective,
    chosen,
    chosenValue,
    profiles,
    neighbours,
    neighbourMean,
    neighbourMin: near.length > 0 ? Math.min(...near) : null,
    retained: neighbourMean !== null && chosenValue !== null && chosenValue > 0 ? neighbourMean / chosenValue : null,
  };
}
