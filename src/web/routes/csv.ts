import { Elysia } from 'elysia';
import type { WebDeps } from '../deps.ts';
import { csvCell, csvResponse } from '../http.ts';

const BATCH = 1000;

/** GET /trades.csv: every closed live trade, newest first, streamed in batches. */
export function csvRoutes(deps: WebDeps) {
  const { app } = deps;
  return new Elysia({ name: 'csv' }).get(
    '/trades.csv',
    () => {
      let offset = 0;
      const enc = new TextEncoder();
      const stream = new ReadableStream<Uint8Array>({
        start: (c) => c.enqueue(enc.encode('id,side,qty,entry_time,entry_price,exit_time,exit_price,exit_reason,commission,pnl,session_start\n')),
        pull: (c) => {
          const rows = app.trades({ limit: BATCH, offset });
          offset += rows.length;
          if (rows.length === 0) return c.close();
          const lines = rows.map((t) =>
            [t.id, t.side, t.qty, new Date(t.entryTime).toISOString(), t.entryPrice, new Date(t.exitTime).toISOString(), t.exitPrice, t.exitReason, t.commissionCents / 100, t.pnlCents / 100, new Date(t.sessionStart).toISOString()]
              .map(csvCell)
              .join(','),
          );
          c.enqueue(enc.encode(`${lines.join('\n')}\n`));
        },
      });
      return csvResponse('trades.csv', stream);
    },
    { detail: { tags: ['read'], summary: 'Every closed live trade as CSV (UTC times, dollars)' } },
  );
}
