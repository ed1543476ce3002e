import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import * as v from 'valibot';
import type { SimFeedState } from '../sim/venue-state.ts';
import type { BookState } from './book.ts';

/**
 * The fake gateway's durable account: what a real IB account keeps when TWS / IB Gateway restarts
 * — positions, working orders (a bracket's stop and target keep working), the day's executions
 * with their exec and perm ids, the id counters, realised P&L — plus where the simulated market
 * stands (its seed and the index of the next bar, so bars continue). One JSON file, replaced
 * atomically (temp file, fsync, rename, fsync of the directory), so a kill -9 leaves either the
 * previous state or the new one, never half of one.
 */
export interface GatewayState {
  readonly version: 1;
  readonly account: string;
  readonly feed: SimFeedState;
  readonly book: BookState;
}

const num = v.pipe(v.number(), v.finite());
const Shape = v.object({
  version: v.literal(1),
  account: v.pipe(v.string(), v.regex(/^[A-Z0-9]+$/)),
  feed: v.object({ seed: num, regime: v.string(), startPrice: num, barMinutes: num, start: num, nextBarIndex: v.pipe(num, v.integer(), v.minValue(0)) }),
  book: v.object({
    exchange: v.looseObject({ version: v.literal(1), orders: v.array(v.unknown()), lots: v.array(v.unknown()), executions: v.array(v.unknown()), realisedCents: num }),
    orders: v.array(v.looseObject({ orderId: num, clientId: num, ref: v.string(), status: v.string() })),
    held: v.array(v.unknown()),
    nextIds: v.array(v.tuple([num, num])),
    executions: v.array(v.looseObject({ execId: v.string(), permId: num })),
    ids: v.object({ prefix: v.string(), nextPerm: num, nextExec: num }),
  }),
});

/** The saved state, or null when the file does not exist yet (a new account). Anything unreadable is an error naming the file. */
export function loadGatewayState(file: string): GatewayState | null {
  if (!existsSync(file)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`gateway state file ${file} cannot be read (${e instanceof Error ? e.message : String(e)}); it is left as it is. Move it away to start a new paper account, or restore it from a copy`);
  }
  const r = v.safeParse(Shape, parsed);
  if (!r.success) {
    const issue = r.issues[0];
    const where = issue.path?.map((p) => String(p.key)).join('.') || '(top level)';
    throw new Error(`gateway state file ${file} is not a gateway:sim state (at ${where}: ${issue.message}); it is left as it is. Move it away to start a new paper account, or restore it from a copy`);
  }
  return parsed as GatewayState;
}

export function saveGatewayState(file: string, state: GatewayState): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, JSON.stringify(state));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  const dir = openSync(dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
