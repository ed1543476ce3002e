/** What the statechart views are given: plain data, the SVG already rendered (and escaped) by svg.ts. */

export interface TransitionRow {
  /** Wall clock, ms UTC. */
  readonly time: number;
  /** The market's clock (end of the last bar seen), ms UTC; null when none was recorded. */
  readonly marketTime: number | null;
  readonly from: string;
  readonly to: string;
  readonly event: string;
}

/** The part of a page that follows the running machine (the live fragment). */
export interface LiveModel {
  readonly machine: string;
  /** The current state string ('open.long'); null when the actor reports none. */
  readonly state: string | null;
  /** Newest first; null in the summary (overview cards show no table). */
  readonly rows: readonly TransitionRow[] | null;
}

/** One compound state's collapse toggle: the page with it flipped. */
export interface NestingToggle {
  readonly path: string;
  readonly collapsed: boolean;
  readonly href: string;
}

export interface MachineView {
  readonly machine: string;
  readonly svg: string;
  readonly live: LiveModel;
  readonly fragmentUrl: string;
  readonly pollMs: number;
  readonly nesting: readonly NestingToggle[];
}

export interface ReplayView {
  readonly machine: string;
  readonly svg: string;
  /** The step shown, 0-based; null when nothing is recorded. */
  readonly step: number | null;
  readonly count: number;
  readonly row: TransitionRow | null;
  /** Steps around the current one, for the table of steps. */
  readonly nearby: readonly { readonly index: number; readonly row: TransitionRow }[];
  readonly nesting: readonly NestingToggle[];
  /** `&collapsed=…` for the step links, so stepping keeps the collapse ('' for a machine without nesting). */
  readonly keep: string;
  /** 'recorded': from SQLite; 'recent': the in-memory buffer only (the facade has no SQLite query). */
  readonly source: 'recorded' | 'recent';
}
