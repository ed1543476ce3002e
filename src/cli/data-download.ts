import { IbHistoryClient } from '../broker/ib/history-client.ts';
import { download, planDownload, type DownloadClock } from '../data/download.ts';
import { parseRange } from '../data/range.ts';
import { parseCommand, parseNumberFlag, UsageError } from './args.ts';
import { configOf, STORE_HELP, STORE_OPTIONS, withBarsAsync } from './data-store.ts';
import { Progress } from './progress.ts';

const spec = {
  name: 'data download',
  summary: 'fetch 1-minute MES history per dated contract from TWS / IB Gateway (paper, live or gateway:sim) into the bar store',
  usage: 'bun run data download --from 2024-01-01 --to 2024-12-31 [--port 4002] [--client-id 17] [--set store.path=…]',
  options: { from: { type: 'string' }, to: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, 'client-id': { type: 'string' }, json: { type: 'boolean' }, ...STORE_OPTIONS },
  help: {
    from: 'first day (UTC date), required',
    to: 'last day, included (UTC date), required',
    host: 'TWS / IB Gateway host (default ib.host)',
    port: 'API port (default ib.port: 4002 Gateway paper, 7497 TWS paper)',
    'client-id': 'API client id (default ib.clientId + 50, so a running service keeps its own)',
    json: 'print the summary as one JSON document (no progress bar)',
    ...STORE_HELP,
  },
} as const;

const realClock: DownloadClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

export async function downloadCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const v = parsed.values;
  if (v.from === undefined || v.to === undefined) throw new UsageError('data download needs --from and --to, e.g. --from 2024-01-01 --to 2024-12-31');
  const { from, to } = parseRange(v);
  const config = configOf(v);
  const host = v.host ?? config.ib.host;
  const port = parseNumberFlag('port', v.port, { integer: true, min: 1, max: 65535 }) ?? config.ib.port;
  const clientId = parseNumberFlag('client-id', v['client-id'], { integer: true, min: 0 }) ?? config.ib.clientId + 50;
  const tasks = planDownload(from!, Math.min(to!, Date.now()), config.ib.rollDaysBeforeExpiry);
  const client = new IbHistoryClient({ host, port, clientId, connectTimeoutMs: config.ib.connectTimeoutMs });
  try {
    const summary = await withBarsAsync(config, async (repo) => {
      const todo = tasks.filter((t) => !repo.requested(t.contract.name, Math.floor(t.close / 60_000) * 60_000)).length;
      const progress = new Progress(`history ${host}:${port}`, todo, { quiet: v.json === true });
      const s = await download({ source: client, repo, tasks, clock: realClock, onProgress: () => progress.tick() });
      progress.finish();
      return s;
    });
    if (v.json) {
      process.stdout.write(`${JSON.stringify({ store: config.store.path, ...summary })}\n`);
      return 0;
    }
    const lines = [
      `${summary.requested} requests (${summary.skipped} sessions already stored, skipped), ${summary.bars.toLocaleString('en-US')} bars stored in ${config.store.path}; ${summary.pacingWaits} pacing waits`,
      ...summary.perContract.map((c) => `  ${c.contract}: ${c.bars.toLocaleString('en-US')} bars`),
      ...(summary.noData.length === 0 ? ['IB had data for every session asked for'] : summary.noData.map((n) => `  IB had no data for ${n.sessions} session${n.sessions === 1 ? '' : 's'} of ${n.contract}`)),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (e) {
    // Connection and IB refusals need the operator (start the gateway, check permissions), not a stack trace.
    if (e instanceof Error && e.name === 'Error') {
      process.stderr.write(`\nerror: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    client.close();
  }
}
