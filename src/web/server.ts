import { Elysia } from 'elysia';
import type { App } from '../app/app.ts';
import { healthRoutes } from './health.ts';

/** The HTTP surface: one Elysia instance per feature module, mounted here. */
export function createWebApp(app: App) {
  return new Elysia().use(healthRoutes(app));
}

export function startWebServer(app: App, opts: { host: string; port: number }) {
  const server = createWebApp(app).listen({ hostname: opts.host, port: opts.port });
  return {
    get port(): number {
      return server.server?.port ?? opts.port;
    },
    stop: () => server.stop(),
  };
}
