import { formatLine, type Logger, type LogFields, type LogLevel } from '../domain/log.ts';

/**
 * The last lines the service logged, for `/logs` on Telegram: a bounded ring in memory, filled by
 * wrapping the service's logger. Secrets are removed as each line is kept, never on the way out:
 * the configured tokens by value, and anything shaped like a bot token or a Bearer credential.
 */
export interface LogTailOptions {
  readonly capacity?: number;
  /** Values that must never be shown (the dashboard and bot tokens). Short values are ignored. */
  readonly secrets?: ReadonlyArray<string | undefined>;
  readonly now: () => number;
}

const SHAPES: ReadonlyArray<[RegExp, string]> = [
  [/(?<!\d)\d{5,12}:[A-Za-z0-9_-]{30,}/g, '***'],
  [/\b(Bearer)\s+\S+/gi, '$1 ***'],
  [/\b(token|secret|password)=\S+/gi, '$1=***'],
];

export class LogTail {
  private readonly ring: string[] = [];
  private readonly capacity: number;
  private readonly secrets: string[];

  constructor(private readonly o: LogTailOptions) {
    this.capacity = o.capacity ?? 500;
    this.secrets = (o.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 4);
  }

  /** A logger that writes to `inner` and keeps a redacted copy of each line. */
  wrap(inner: Logger): Logger {
    const keep = (level: LogLevel) => (event: string, fields?: LogFields) => {
      inner[level](event, fields);
      this.push(formatLine(level, event, fields, this.o.now(), false).trimEnd());
    };
    return { debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
  }

  /** The newest `n` lines, oldest first. */
  lines(n: number): string[] {
    return this.ring.slice(-Math.max(0, n));
  }

  private push(line: string): void {
    let text = this.secrets.reduce((t, s) => t.split(s).join('***'), line);
    for (const [shape, by] of SHAPES) text = text.replace(shape, by);
    this.ring.push(text.length > 500 ? `${text.slice(0, 500)}…` : text);
    if (this.ring.length > this.capacity) this.ring.shift();
  }
}
