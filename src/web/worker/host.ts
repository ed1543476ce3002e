import { Worker } from 'node:worker_threads';
import type { App } from '../../app/app.ts';
import type { MarketView } from '../../app/market-view.ts';
import type { Research } from '../../app/research.ts';
import type { Logger } from '../../domain/log.ts';
import type { StartWebOptions } from '../server.ts';
import { checkBind } from '../security/bind.ts';
import type { ToHost, ToWorker, WebWorkerData } from './protocol.ts';
import { rpcChannel, serveCalls } from './rpc.ts';

/**
 * The web thread's read budget (Admission's `share`): the fraction of its own wall time read
 * handlers may take, waits for the trading thread's answers included. Measured with
 * `bun run bench` on 2 cores (the load client on the same machine): at 0.15 the bar rate under a
 * flood read 0.82–1.11 of idle over seven runs (median 1.00) while serving 560–900 requests a
 * second; at 0.3–0.5 the web thread, its clients and the trading thread contended for the cores
 * (0.84–0.85).
 */
const READ_SHARE = 0.15;

export interface WebWorkerOptions extends StartWebOptions {
  readonly market: MarketView;
  readonly research: Research;
  readonly log: Logger;
}

export interface WebWorker {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts the dashboard on a thread of its own (`entry.ts`) and serves its calls into `app` and
 * `research` from this one. A flood of requests then costs this thread only the queries the pages
 * make (answered between bars, at most one render per path per read-cache TTL), not the parsing,
 * rendering and writing. Resolves once the server listens; rejects as startWebServer would.
 */
export async function startWebWorker(app: App, o: WebWorkerOptions): Promise<WebWorker> {
  checkBind(o.host, o.token);
  const { serve, client } = rpcChannel();
  const stopServing = serveCalls(serve, { app, research: o.research });
  const data: WebWorkerData = {
    rpc: client,
    options: { host: o.host, port: o.port, ...(o.token ? { token: o.token } : {}), ...(o.pushIntervalMs ? { pushIntervalMs: o.pushIntervalMs } : {}), admission: { share: READ_SHARE, ...o.admission } },
    market: { strategy: o.market.strategy, params: o.market.params },
    bars: o.market.bars(),
  };
  const worker = new Worker(new URL('./entry.ts', import.meta.url), { workerData: data, transferList: [client.calls, client.settled] });
  const send = (m: ToWorker) => worker.postMessage(m);
  const offBar = o.market.onBar((bar) => send({ type: 'bar', bar }));
  let stopping: Promise<void> | null = null;
  let stopped: () => void = () => {};
  const done = new Promise<void>((resolve) => (stopped = resolve));
  const cleanUp = () => {
    offBar();
    o.market.close();
    stopServing();
  };

  const port = await new Promise<number>((resolve, reject) => {
    worker.on('message', (m: ToHost) => {
      if (m.type === 'listening') resolve(m.port);
      else if (m.type === 'failed') {
        // It never listened (a port in use): end the thread, or its open ports would keep it alive.
        stopping = Promise.resolve();
        void worker.terminate();
        reject(Object.assign(new Error(m.message), { name: m.name }));
      } else if (m.type === 'log') o.log[m.level](m.event, m.fields);
      else if (m.type === 'stopped') stopped();
    });
    worker.on('error', (e) => {
      o.log.error('web.thread_failed', { error: String(e) });
      reject(e);
    });
    worker.on('exit', (code) => {
      // Trading goes on without the dashboard; the operator must hear of it (Telegram still works).
      if (stopping === null) o.log.error('web.thread_exited', { code, note: 'the dashboard is down; restart the service to bring it back' });
      cleanUp();
      stopped();
      reject(new Error('the dashboard thread exited before it listened'));
    });
  });

  return {
    port,
    stop: () =>
      (stopping ??= (async () => {
        send({ type: 'stop' });
        // A thread that does not stop in time is ended: shutdown must not hang on the dashboard.
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([done, new Promise<void>((resolve) => (timer = setTimeout(resolve, 5000)))]);
        clearTimeout(timer);
        await worker.terminate();
        cleanUp();
      })()),
  };
}
