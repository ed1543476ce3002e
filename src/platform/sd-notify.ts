/**
 * systemd readiness, status and watchdog notifications (`Type=notify`, `WatchdogSec=`).
 *
 * Bun cannot open unix datagram sockets, so this calls libsystemd's
 * `sd_notify(int unset_environment, const char *state)` through `bun:ffi`.
 * Outside systemd (no `NOTIFY_SOCKET`) or without libsystemd every call is a silent
 * no-op: the bot must run the same from a terminal, in tests and under systemd.
 *
 * `env` only decides whether notifications are on and the watchdog interval;
 * libsystemd itself reads `NOTIFY_SOCKET` from the process environment it was
 * started with (writes to `process.env` in Bun do not reach C `getenv`).
 */
import { dlopen, FFIType, ptr } from 'bun:ffi';

export interface SystemdNotifier {
  /** True when running under systemd with a notify socket and libsystemd loaded. */
  readonly enabled: boolean;
  /** Start-up finished: systemd marks the unit active (and `systemctl start` returns). */
  ready(status?: string): void;
  /** Free-form one-line status shown by `systemctl status`. */
  status(text: string): void;
  /** Shutdown began: systemd waits up to `TimeoutStopSec` instead of treating the exit as a crash. */
  stopping(): void;
  /** One keep-alive ping. */
  watchdog(): void;
  /** How often to ping (half of `WATCHDOG_USEC`), or null when systemd expects no pings. */
  readonly watchdogIntervalMs: number | null;
  /** Pings every `watchdogIntervalMs` while `isHealthy()`; returns a function that stops it. */
  startWatchdog(isHealthy: () => boolean): () => void;
}

export interface SystemdNotifierOptions {
  /** libsystemd to load; tests point it at a missing file. */
  library?: string;
}

type Env = Record<string, string | undefined>;
type Send = (state: string) => void;

const DEFAULT_LIBRARY = 'libsystemd.so.0';

export function createSystemdNotifier(env: Env = process.env, opts: SystemdNotifierOptions = {}): SystemdNotifier {
  const send = env.NOTIFY_SOCKET ? loadSend(opts.library ?? DEFAULT_LIBRARY) : null;
  const enabled = send !== null;
  const notify: Send = send ?? (() => {});
  const watchdogIntervalMs = enabled ? watchdogInterval(env) : null;

  return {
    enabled,
    watchdogIntervalMs,
    ready: (status) => notify(status === undefined ? 'READY=1' : `READY=1\nSTATUS=${oneLine(status)}`),
    status: (text) => notify(`STATUS=${oneLine(text)}`),
    stopping: () => notify('STOPPING=1'),
    watchdog: () => notify('WATCHDOG=1'),
    startWatchdog(isHealthy) {
      if (watchdogIntervalMs === null) return () => {};
      // A wedged event loop or an unhealthy check stops the pings, and systemd restarts us.
      const ping = () => {
        if (isHealthy()) notify('WATCHDOG=1');
      };
      ping();
      const timer = setInterval(ping, watchdogIntervalMs);
      // The watchdog must never be the reason the process stays alive on shutdown.
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

/** A sender bound to libsystemd, or null when the library or symbol is missing. */
function loadSend(library: string): Send | null {
  try {
    const lib = dlopen(library, { sd_notify: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 } });
    return (state) => {
      // NUL-terminated for C; 0 keeps NOTIFY_SOCKET set so later calls still reach systemd.
      // A negative return (socket gone) is ignored: notifications are advisory.
      const buf = Buffer.from(`${state}\0`);
      lib.symbols.sd_notify(0, ptr(buf));
    };
  } catch {
    return null;
  }
}

/**
 * Half of `WATCHDOG_USEC`, as sd_watchdog_enabled(3) advises, so one late ping is not fatal.
 * `WATCHDOG_PID`, when set, names the process the watchdog is meant for; a child that inherited
 * the variables must not ping on its parent's behalf.
 */
function watchdogInterval(env: Env): number | null {
  const usec = Number(env.WATCHDOG_USEC);
  if (!env.WATCHDOG_USEC || !Number.isSafeInteger(usec) || usec <= 0) return null;
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== process.pid) return null;
  return Math.max(1, Math.floor(usec / 2000));
}

/** A newline would start a new `KEY=value` assignment and a NUL would cut the message short. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\0]+/g, ' ');
}
