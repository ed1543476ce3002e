import { Database } from 'bun:sqlite';
import type { Order } from '../domain/trading.ts';
import type { EngineState } from '../engine/engine.ts';

/**
 * The crash-safety invariants (README "Crash safety"), read straight from a sim-mode store file —
 * the journal, the engine snapshot and the paper venue's rows — with no code of the service in
 * between, so a test of them does not trust what it tests. Returns the violations, empty when all hold.
 */
export function checkInvariants(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const out: string[] = [];
    const engineRow = db.query<{ value_json: string }, []>(`SELECT value_json FROM facts WHERE key = 'engine'`).get();
    const engine = engineRow ? (JSON.parse(engineRow.value_json) as EngineState) : null;
    const accountRow = db.query<{ account_json: string }, []>(`SELECT account_json FROM sim_account WHERE id = 1`).get();
    if (accountRow === null) return engine?.position ? ['the engine holds a position but the venue has no account'] : [];
    const account = JSON.parse(accountRow.account_json) as { lots: { qty: number }[]; realisedCents: number; duplicateRefs?: number };
    const venueOrders = db.query<{ order_json: string }, []>(`SELECT order_json FROM sim_orders ORDER BY seq`).all().map((r) => JSON.parse(r.order_json) as Order);
    const journalRefs = new Set(db.query<{ ref: string }, []>(`SELECT ref FROM orders`).all().map((r) => r.ref));

    const venueQty = account.lots.reduce((a, l) => a + l.qty, 0);
    const p = engine?.position ?? null;
    const engineQty = p === null ? 0 : p.side === 'long' ? p.qty : -p.qty;
    if (venueQty !== engineQty) out.push(`venue position ${venueQty} ≠ engine position ${engineQty}`);

    const working = venueOrders.filter((o) => o.status === 'submitted' || o.status === 'partially_filled');
    if (venueQty !== 0) {
      const closing = venueQty > 0 ? 'sell' : 'buy';
      const stops = working.filter((o) => o.type === 'stop' && o.action === closing);
      const covered = stops.reduce((a, o) => a + o.qty - o.filledQty, 0);
      if (covered < Math.abs(venueQty)) out.push(`open position ${venueQty} has ${covered} contract(s) of working stop`);
    } else {
      const protective = working.filter((o) => o.type !== 'market');
      if (protective.length > 0) out.push(`flat, yet protective orders work: ${protective.map((o) => o.ref).join(', ')}`);
    }
    for (const o of venueOrders) if (!journalRefs.has(o.ref)) out.push(`venue order ${o.ref} is not in the journal`);
    if ((account.duplicateRefs ?? 0) > 0) out.push(`${account.duplicateRefs} order(s) placed twice under one ref`);

    const journalPnl = db.query<{ s: number | null }, []>(`SELECT sum(pnl_cents) AS s FROM journal_trades`).get()?.s ?? 0;
    if (journalPnl !== account.realisedCents) out.push(`Σ journal trade P&L ${journalPnl} ≠ venue realised ${account.realisedCents} (cents)`);
    const unapplied = db.query<{ n: number }, []>(`SELECT count(*) AS n FROM orders WHERE filled_qty > applied_qty AND status IN ('filled', 'cancelled', 'rejected')`).get()?.n ?? 0;
    if (unapplied > 0) out.push(`${unapplied} finished order(s) with fills the engine does not hold`);
    return out;
  } finally {
    db.close();
  }
}
