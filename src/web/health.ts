import { Elysia } from 'elysia';
import type { App } from '../app/app.ts';

/** GET /health: the supervisor's view of every actor, for systemd checks and the operator. */
export function healthRoutes(app: App) {
  return new Elysia({ name: 'health' }).get('/health', ({ set }) => {
    const actors = app.actors();
    const status = app.status();
    // The journal cannot be written: trading is halted, and systemd's watchdog and the operator must know.
    const storeDown = status.trading.kind === 'HALTED' && status.trading.reason === 'store';
    const healthy = actors.every((a) => !a.failed) && !storeDown;
    set.status = healthy ? 200 : 503;
    return { healthy, mode: status.mode, connection: status.connection, trading: status.trading, uptimeSec: status.uptimeSec, actors };
  });
}
