import { Database } from 'bun:sqlite';
import type { Order } from '../domain/trading.ts';
import type { EngineState } from '../engine/engine.ts';

/** What the venue holds, however it is read (the sim venue's rows, the fake IB gateway's book). */
export interface VenueView {
  /** Signed contracts: + long, − short. */
  readonly positionQty: number;
  /** Every order the venue knows (working and finished), with its client ref. */
  readonly orders: readonly Order[];
  readonly realisedCents: number;
  /** Orders placed under a ref the venue already had. */
  readonly duplicateRefs: number;
}

/**
 * The crash-safety invariants (README "Crash safety"), read straight from the store file — the
 * journal and the engine snapshot — and the venue, with no code of the service in between, so a
 * test of them does not trust what it tests. Returns the violations, empty when all hold.
 */
export function checkInvariants(file: string, venue: VenueView | null = null): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const out: string[] = [];
    const engineRow = db.query<{ value_json: string }, []>(`SELECT value_json FROM facts WHERE key = 'engine'`).get();
    const engine = engineRow ? (JSON.parse(engineRow.value_json) as EngineState) : null;
    const v = venue ?? simVenue(db);
    if (v === null) return engine?.position ? ['the engine holds a position but the venue has no account'] : [];
    const journalRefs = new Set(db.query<{ ref: string }, []>(`SELECT ref FROM orders`).all().map((r) => r.ref));

    const p = engine?.position ?? null;
    const engineQty = p === null ? 0 : p.side === 'long' ? p.qty : -p.qty;
    if (v.positionQty !== engineQty) out.push(`venue position ${v.positionQty} ≠ engine position ${engineQty}`);

    const working = v.orders.filter((o) => o.status === 'submitted' || o.status === 'partially_filled');
    if (v.positionQty !== 0) {
      const closing = v.positionQty > 0 ? 'sell' : 'buy';
      const covered = working.filter((o) => o.type === 'stop' && o.action === closing).reduce((a, o) => a + o.qty - o.filledQty, 0);
      if (covered < Math.abs(v.positionQty)) out.push(`open position ${v.positionQty} has ${covered} contract(s) of working stop`);
    } else {
      const protective = working.filter((o) => o.type !== 'market');
      if (protective.length > 0) out.push(`flat, yet protective orders work: ${protective.map((o) => o.ref).join(', ')}`);
    }
    for (const o of v.orders) if (!journalRefs.has(o.ref)) out.push(`venue order ${o.ref} is not in the journal`);
    if (v.duplicateRefs > 0) out.push(`${v.duplicateRefs} order(s) placed twice under one ref`);

    const journalPnl = db.query<{ s: number | null }, []>(`SELECT sum(pnl_cents) AS s FROM journal_trades`).get()?.s ?? 0;
    if (journalPnl !== v.realisedCents) out.push(`Σ journal trade P&L ${journalPnl} ≠ venue realised ${v.realisedCents} (cents)`);
    const unapplied = db.query<{ n: number }, []>(`SELECT count(*) AS n FROM orders WHERE filled_qty > applied_qty AND status IN ('filled', 'cancelled', 'rejected')`).get()?.n ?? 0;
    if (unapplied > 0) out.push(`${unapplied} finished order(s) with fills the engine does not hold`);
    return out;
  } finally {
    db.close();
  }
}

/** The sim venue's account as the service saved it in the same file. */
function simVenue(db: Database): VenueView | null {
  const accountRow = db.query<{ account_json: string }, []>(`SELECT account_json FROM sim_account WHERE id = 1`).get();
  if (accountRow === null) return null;
  const account = JSON.parse(accountRow.account_json) as { lots: { qty: number }[]; realisedCents: number; duplicateRefs?: number };
  const orders = db.query<{ order_json: string }, []>(`SELECT order_json FROM sim_orders ORDER BY seq`).all().map((r) => JSON.parse(r.order_json) as Order);
  return { positionQty: account.lots.reduce((a, l) => a + l.qty, 0), orders, realisedCents: account.realisedCents, duplicateRefs: account.duplicateRefs ?? 0 };
}
