/** A structured logger: one line per event, fields as key=value. A port: the service picks the sink. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
/** sd-daemon(3) priorities, so journald files each line under its level. */
const SYSLOG: Record<LogLevel, number> = { debug: 7, info: 6, warn: 4, error: 3 };

function value(v: string | number | boolean | null | undefined): string {
  const s = String(v);
  return /^[\w.:/@+-]*$/.test(s) && s !== '' ? s : JSON.stringify(s);
}

export function formatLine(level: LogLevel, event: string, fields: LogFields | undefined, time: number, journald: boolean): string {
  const kv = fields ? Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}=${value(v)}`).join('') : '';
  const head = journald ? `<${SYSLOG[level]}>` : `${new Date(time).toISOString()} `;
  return `${head}${level.toUpperCase().padEnd(5)} ${event}${kv}\n`;
}

/** Writes lines to a sink (stdout in the service); journald mode when systemd captures the output. */
export function createLogger(opts: { level: LogLevel; write: (line: string) => void; now: () => number; journald?: boolean }): Logger {
  const make = (level: LogLevel) => (event: string, fields?: LogFields) => {
    if (RANK[level] >= RANK[opts.level]) opts.write(formatLine(level, event, fields, opts.now(), opts.journald ?? false));
  };
  return { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
