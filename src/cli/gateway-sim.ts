import { startFakeGateway } from '../broker/ib-sim/gateway.ts';
import { MAX_SERVER_VERSION, MIN_SERVER_VERSION } from '../broker/ib-sim/versions.ts';
import { REGIME_OPTIONS, type RegimeOption } from '../market/regimes.ts';
import { parseCommand, parseNumberFlag, runMain, UsageError, type CommandSpec } from './args.ts';

const options = {
  port: { type: 'string' },
  account: { type: 'string' },
  seed: { type: 'string' },
  regime: { type: 'string' },
  'bar-interval-ms': { type: 'string' },
  'max-version': { type: 'string' },
  'time-zone': { type: 'string' },
  'legacy-exec-times': { type: 'boolean' },
  'commission-delay-ms': { type: 'string' },
  state: { type: 'string' },
} as const;

const spec: CommandSpec<typeof options> = {
  name: 'gateway:sim',
  summary: 'a fake IB Gateway on 127.0.0.1 speaking the TWS API protocol, backed by the paper exchange and the market simulator',
  usage: 'bun run gateway:sim [--port 4002] [--account DU1234567] [--seed 7] [--regime switching] [--bar-interval-ms 250] [--max-version 193] [--time-zone US/Eastern] [--legacy-exec-times] [--commission-delay-ms 0] [--state gateway-state.json]',
  options,
  help: {
    port: 'TCP port on 127.0.0.1 (default 4002, IB Gateway\'s paper port)',
    account: 'paper account id the gateway reports (default DU1234567)',
    seed: 'market simulator seed, an integer (default 7)',
    regime: `${REGIME_OPTIONS.join(' | ')} (default switching)`,
    'bar-interval-ms': 'wall time per simulated minute, ≥ 10 (default 250); each minute is sent as twelve 5-second real-time bars',
    'max-version': `highest TWS API server version to negotiate, ${MIN_SERVER_VERSION}..${MAX_SERVER_VERSION} (default ${MAX_SERVER_VERSION}); the client's highest below it is used`,
    'time-zone': "the gateway's time zone for execution times and bar dates, an IANA name (default US/Eastern)",
    'legacy-exec-times': "write execution times as older gateways do: 'yyyymmdd  hh:mm:ss' without the zone",
    'commission-delay-ms': 'send each commission report this long after its execution (default 0)',
    state:
      'keep the paper account (positions, working orders, the day\'s executions, ids, realised P&L) and the simulated market in this JSON file, so a gateway restarted with it carries on; the file\'s account and market win over --account/--seed/--regime. Unreadable: an error, the file is left alone',
  },
};

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const v = parsed.values;
  const account = v.account ?? 'DU1234567';
  if (!/^[A-Z0-9]+$/.test(account)) throw new UsageError(`--account must be an IB account id in capitals like DU1234567, got '${account}'`);
  const regime = v.regime ?? 'switching';
  if (!(REGIME_OPTIONS as readonly string[]).includes(regime)) throw new UsageError(`--regime must be one of ${REGIME_OPTIONS.join(', ')}, got '${regime}'`);
  const port = parseNumberFlag('port', v.port, { integer: true, min: 1, max: 65_535 }) ?? 4002;
  const maxVersion = parseNumberFlag('max-version', v['max-version'], { integer: true, min: MIN_SERVER_VERSION, max: MAX_SERVER_VERSION }) ?? MAX_SERVER_VERSION;
  const timeZone = v['time-zone'] ?? 'US/Eastern';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new UsageError(`--time-zone must be an IANA time zone such as US/Eastern or Europe/Zurich, got '${timeZone}'`);
  }
  const gw = await startFakeGateway({
    port,
    account,
    seed: parseNumberFlag('seed', v.seed, { integer: true }) ?? 7,
    regime: regime as RegimeOption,
    barIntervalMs: parseNumberFlag('bar-interval-ms', v['bar-interval-ms'], { integer: true, min: 10 }) ?? 250,
    maxVersion,
    timeZone,
    execTimeStyle: v['legacy-exec-times'] === true ? 'legacy' : 'zoned',
    commissionDelayMs: parseNumberFlag('commission-delay-ms', v['commission-delay-ms'], { integer: true, min: 0 }) ?? 0,
    ...(v.state === undefined ? {} : { stateFile: v.state }),
    log: (line) => process.stdout.write(`${new Date().toISOString()} gateway: ${line}\n`),
  }).catch((e: unknown) => {
    const code = (e as { code?: string }).code;
    throw new UsageError(code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 is in use (is IB Gateway or another gateway:sim running?); pick another with --port` : e instanceof Error ? e.message : String(e));
  });
  process.stdout.write(`fake IB Gateway listening on 127.0.0.1:${gw.port}, account ${gw.account} (paper), server versions ${MIN_SERVER_VERSION}..${maxVersion}, time zone ${timeZone}; Ctrl-C stops it\n`);
  await new Promise<void>((resolve) => {
    const stop = () => void gw.close().then(resolve, resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stdout.write('fake IB Gateway stopped\n');
  return 0;
}

if (import.meta.main) await runMain(main);
