import { parentPort, workerData } from 'node:worker_threads';
import type { App } from '../../app/app.ts';
import { createMarketView } from '../../app/market-view.ts';
import type { Research } from '../../app/research.ts';
import type { LogFields, Logger } from '../../domain/log.ts';
import { startWebServer } from '../server.ts';
import { rpcClient } from './rpc.ts';
import type { WebWorkerData, ToHost, ToWorker } from './protocol.ts';

/**
 * The dashboard's thread: Bun's HTTP server, the gate, admission, rendering and the live streams
 * run here, so none of it runs on the thread that turns bars into orders. What the pages show comes
 * from the trading thread through `rpc.ts`; the live chart's bars are pushed here as they close.
 */
const data = workerData as WebWorkerData;
const port = parentPort!;
const post = (m: ToHost) => port.postMessage(m);
const rpc = rpcClient(data.rpc);
const market = createMarketView(data.market);
for (const bar of data.bars) market.record(bar);
const log: Logger = Object.fromEntries(
  (['debug', 'info', 'warn', 'error'] as const).map((level) => [level, (event: string, fields?: LogFields) => post({ type: 'log', level, event, fields: fields ?? {} })]),
) as unknown as Logger;

try {
  const web = startWebServer(rpc.remote<App>('app'), { ...data.options, market, research: rpc.remote<Research>('research'), log });
  port.on('message', async (m: ToWorker) => {
    if (m.type === 'bar') market.record(m.bar);
    else if (m.type === 'stop') {
      await web.stop();
      rpc.close();
      post({ type: 'stopped' });
      port.close();
    }
  });
  post({ type: 'listening', port: web.port });
} catch (e) {
  post({ type: 'failed', name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) });
}
