import { keyValues, parseCommand, runMain, UsageError } from './cli/args.ts';
import { loadConfig } from './config/load.ts';
import { requireNoErrors } from './config/safety.ts';
import { createLogger } from './domain/log.ts';
import { createSystemdNotifier } from './platform/sd-notify.ts';
import { startService } from './service/service.ts';

const spec = {
  name: 'start',
  summary: 'run the trading service (sim by default) with its dashboard on 127.0.0.1',
  usage: 'bun run start [--config FILE] [--set path=value ...] [--live]',
  options: { config: { type: 'string' }, set: { type: 'string', multiple: true }, live: { type: 'boolean' } },
  help: {
    config: 'config file (YAML); default: built-in defaults (mode sim)',
    set: 'override a setting, e.g. --set sim.barIntervalMs=100 (repeatable)',
    live: 'confirm on the command line that mode: live trades real money (required for live)',
  },
} as const;

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const { config, secrets, issues, source } = loadConfig({ path: parsed.values.config, overrides: keyValues('set', parsed.values.set), env: process.env });
  requireNoErrors(source, issues);
  if (config.mode === 'live' && parsed.values.live !== true) {
    throw new UsageError('mode: live trades real money: start it with --live as well (and run validate-config first)');
  }
  const log = createLogger({ level: config.log.level, write: (line) => process.stdout.write(line), now: Date.now, journald: process.env.JOURNAL_STREAM !== undefined });
  for (const i of issues) log.warn('config.issue', { level: i.level, path: i.path, message: i.message });
  // A stop asked for while the service starts (the dashboard's thread takes a few hundred ms) is
  // kept and acted on once it runs, so even then it shuts down cleanly instead of dying.
  let early: string | null = null;
  let onSignal: (signal: string) => void = (signal) => {
    early ??= signal;
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  const service = await startService({ config, secrets, log, liveConfirmedOnCli: parsed.values.live === true });
  const systemd = createSystemdNotifier();
  systemd.ready(`trading ${config.mode}`);
  // Healthy = the supervisor is alive and no child has been given up on; not "connected to IB",
  // or systemd would restart the bot during the broker's nightly restart.
  const stopWatchdog = systemd.startWatchdog(() => service.system.root.getSnapshot().status === 'active' && service.app.actors().every((a) => !a.failed));

  await new Promise<void>((resolve) => {
    let stopping = false;
    // `bun run` forwards Ctrl-C to the process group and once more itself: act on the first only.
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      systemd.stopping();
      stopWatchdog();
      service.shutdown(signal).then(resolve, (e: unknown) => {
        log.error('service.stop_failed', { error: e instanceof Error ? e.message : String(e) });
        resolve();
      });
    };
    onSignal = stop;
    if (early !== null) stop(early);
    // `bun run start` is a wrapper process: if it is killed (even with -9) this service must not
    // live on as an orphan, or a restart would make two. Reparenting is how we learn of it.
    const parent = process.ppid;
    const watch = setInterval(() => {
      if (process.ppid !== parent) {
        clearInterval(watch);
        log.warn('service.parent_exited', { parent, note: 'the process that started this service is gone; stopping' });
        stop('parent exited');
      }
    }, 500);
    watch.unref();
  });
  return 0;
}

if (import.meta.main) await runMain(main);
