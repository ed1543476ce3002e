import type { BarSeries } from '../domain/bar.ts';
import { DataError } from '../market/data-error.ts';
import type { BarsRepository } from '../store/bars.ts';
import { ADJUSTMENTS, continuousSeries, type Adjustment, type RollPoint } from './continuous.ts';
import { parseContract } from './contracts.ts';
import { shown } from './show.ts';

export interface StoredSeries {
  readonly series: BarSeries;
  readonly rolls: readonly RollPoint[];
  /** What the bars are, for reports: `MES continuous (MESH24→MESM24, difference-adjusted)`. */
  readonly label: string;
}

export function parseAdjust(raw: string | undefined): Adjustment {
  if (raw === undefined) return 'difference';
  if ((ADJUSTMENTS as readonly string[]).includes(raw)) return raw as Adjustment;
  throw new DataError(`--adjust ${shown(raw)}: expected one of ${ADJUSTMENTS.join(', ')}`);
}

/**
 * `--symbol MES`: the continuous series under the live roll rule; `--symbol MESH24`: that
 * contract's bars alone. Throws when the store has no bars for it, saying how to get some.
 */
export function storedSeries(repo: BarsRepository, symbol: string, opts: { rollDays: number; adjust: Adjustment; from?: number; to?: number; storePath: string }): StoredSeries {
  const name = symbol.trim().toUpperCase();
  const range = { ...(opts.from === undefined ? {} : { from: opts.from }), ...(opts.to === undefined ? {} : { to: opts.to }) };
  let out: StoredSeries;
  if (name === 'MES') {
    const c = continuousSeries(repo, 'MES', { rollDays: opts.rollDays, adjust: opts.adjust, ...range });
    const chain = c.contracts.join('→') || 'none';
    out = { series: c.series, rolls: c.rolls, label: `MES continuous from ${opts.storePath} (${chain}${c.rolls.length > 0 ? `, ${opts.adjust === 'none' ? 'not adjusted' : `${opts.adjust}-adjusted`}, roll ${opts.rollDays} days before expiry` : ''})` };
  } else {
    // MESH4 (IB's one year digit) means the stored MESHx4 nearest to --from, or the latest one.
    const m = /^MES([FGHJKMNQUVXZ])(\d)$/.exec(name);
    const candidates = repo.contracts().filter((x) => x.contract === name || x.contract === parseContract(name, opts.from ?? 0)?.name || (m !== null && x.contract.length === 6 && x.contract[3] === m[1] && x.contract[5] === m[2]));
    const near = opts.from ?? Number.POSITIVE_INFINITY;
    const stored = candidates.sort((a, b) => Math.abs((a.lastTradeDay ?? 0) - near) - Math.abs((b.lastTradeDay ?? 0) - near) || (b.lastTradeDay ?? 0) - (a.lastTradeDay ?? 0))[0];
    if (!stored) throw new DataError(`--symbol ${shown(symbol)}: no such series in ${opts.storePath}; expected MES (the continuous series) or a stored contract (see bun run data list)`);
    out = { series: repo.load(stored.contract, opts.from, opts.to), rolls: [], label: `${stored.contract} from ${opts.storePath}` };
  }
  if (out.series.length === 0) {
    throw new DataError(`${out.label}: no bars${opts.from !== undefined || opts.to !== undefined ? ' in the --from/--to range' : ''}; import files with 'bun run data import' or fetch them with 'bun run data download', then check 'bun run data list'`);
  }
  return out;
}

export function describeRoll(r: RollPoint): string {
  const at = new Date(r.time).toISOString().slice(0, 16).replace('T', ' ');
  if (r.measuredAt === null) return `roll ${r.from} → ${r.to} at ${at} UTC: no bar both contracts have, not adjusted`;
  return `roll ${r.from} → ${r.to} at ${at} UTC: gap ${r.gap >= 0 ? '+' : ''}${r.gap} points (ratio ${r.ratio.toFixed(6)}), measured at ${new Date(r.measuredAt).toISOString().slice(0, 16).replace('T', ' ')}`;
}
