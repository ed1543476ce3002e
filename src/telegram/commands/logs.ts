import * as v from 'valibot';
import type { TelegramApp } from '../app-port.ts';
import { b, esc, MAX_MESSAGE } from '../format.ts';

/** `/logs [n]`: the argument is text from outside, validated before it becomes a count. */
const LogsArg = v.pipe(
  v.optional(v.string(), ''),
  v.trim(),
  v.transform((s) => (s === '' ? '20' : s)),
  v.regex(/^\d{1,3}$/, 'n must be a whole number from 1 to 100'),
  v.transform(Number),
  v.number(),
  v.minValue(1, 'n must be at least 1'),
  v.maxValue(100, 'n can be at most 100'),
);

/**
 * The service's last log lines in a code block, newest last. The tail removed secrets as it kept
 * each line; `redact` (the bot's own token) runs again here, since this message leaves the machine.
 * Lines that do not fit one message are dropped from the oldest end.
 */
export function logsText(app: TelegramApp, arg: string, redact: (s: string) => string): string {
  const parsed = v.safeParse(LogsArg, arg);
  if (!parsed.success) return `${esc(parsed.issues[0].message)} (got ${b(arg.trim())}). Example: /logs 50`;
  const lines = app.recentLogs(parsed.output).map((l) => esc(redact(l)));
  if (lines.length === 0) return 'No log lines kept yet.';
  const head = `${b(`Last ${lines.length} log line(s)`)}, newest last (secrets removed):`;
  const kept: string[] = [];
  let size = head.length + 40;
  for (const line of [...lines].reverse()) {
    if (size + line.length + 1 > MAX_MESSAGE) break;
    kept.unshift(line);
    size += line.length + 1;
  }
  return `${head}\n<pre>${kept.join('\n')}</pre>`;
}
