import type { LogFields, Logger } from '../domain/log.ts';

/**
 * The bot token is in every Bot API URL, so any error that quotes a URL (a fetch failure, a
 * proxy's page) could leak it. Everything the Telegram module logs or reports goes through here.
 */
export function redactor(secret: string): (text: string) => string {
  // Very short values would mangle ordinary text and are not real tokens.
  if (secret.length < 4) return (text) => text;
  return (text) => text.split(secret).join('***');
}

export function redactingLogger(log: Logger, redact: (text: string) => string): Logger {
  const clean = (fields?: LogFields): LogFields | undefined =>
    fields && Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? redact(v) : v]));
  return {
    debug: (event, fields) => log.debug(event, clean(fields)),
    info: (event, fields) => log.info(event, clean(fields)),
    warn: (event, fields) => log.warn(event, clean(fields)),
    error: (event, fields) => log.error(event, clean(fields)),
  };
}

export function errorText(e: unknown): string {
  if (e instanceof Error) {
    // grammY's HttpError keeps the underlying fetch error (which may quote the URL) in `error`.
    const inner = (e as { error?: unknown }).error;
    return inner instanceof Error ? `${e.message} (${inner.message})` : e.message;
  }
  return String(e);
}
