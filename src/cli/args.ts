import { parseArgs, type ParseArgsConfig } from 'node:util';

/** An error the user can fix: printed as one clear line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CommandSpec<O extends NonNullable<ParseArgsConfig['options']>> {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** One line of help per option, in the order shown. */
  readonly help: Readonly<Record<keyof O & string, string>>;
  readonly options: O;
  readonly positionals?: boolean;
}

export function helpText<O extends NonNullable<ParseArgsConfig['options']>>(spec: CommandSpec<O>): string {
  const rows = Object.entries(spec.options).map(([k, o]) => {
    const flag = `--${k}${o.type === 'string' ? ' <value>' : ''}`;
    return `  ${flag.padEnd(28)} ${spec.help[k as keyof O & string]}`;
  });
  return `${spec.name} — ${spec.summary}\n\nUsage: ${spec.usage}\n\nOptions:\n${rows.join('\n')}\n  ${'--help'.padEnd(28)} show this help\n`;
}

/**
 * Parses argv strictly: unknown flags, missing values and stray positionals are UsageErrors.
 * Returns null after printing help when --help was given.
 */
export function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(spec: CommandSpec<O>, argv: readonly string[]) {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(helpText(spec));
    return null;
  }
  try {
    return parseArgs({ args: [...argv], options: spec.options, strict: true, allowPositionals: spec.positionals ?? false });
  } catch (e) {
    const msg = e instanceof Error ? e.message.replace(/\. To specify.*$/s, '') : String(e);
    throw new UsageError(`${msg}; run 'bun run ${spec.name} --help' for the options`);
  }
}

/** Parses `name=value` pairs (from repeated --param / --set flags). */
export function keyValues(flag: string, items: readonly string[] | undefined): Array<[string, string]> {
  return (items ?? []).map((item) => {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${flag} expects name=value, got '${item}'`);
    return [item.slice(0, eq).trim(), item.slice(eq + 1).trim()];
  });
}

export function parseNumberFlag(flag: string, raw: string | undefined, opts: { integer?: boolean; min?: number; max?: number } = {}): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  const bad = raw.trim() === '' || !Number.isFinite(v) || (opts.integer && !Number.isInteger(v)) || (opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max);
  if (bad) {
    const kind = opts.integer ? 'an integer' : 'a number';
    const range = opts.min !== undefined && opts.max !== undefined ? ` from ${opts.min} to ${opts.max}` : opts.min !== undefined ? ` ≥ ${opts.min}` : '';
    throw new UsageError(`--${flag} must be ${kind}${range}, got '${raw}'`);
  }
  return v;
}

/** Errors caused by the user's input: one clear line, exit code 2, no stack trace. */
const USER_ERRORS = new Set(['UsageError', 'DataError', 'ConfigError', 'StrategyError', 'StoreOpenError']);

/** Runs a command's main, turning errors into a message and an exit code instead of a stack trace. */
export async function runMain(main: (argv: string[]) => Promise<number | void> | number | void): Promise<void> {
  try {
    const code = await main(process.argv.slice(2));
    process.exitCode = code ?? 0;
  } catch (e) {
    if (e instanceof Error && USER_ERRORS.has(e.name)) {
      process.stderr.write(`error: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    }
  }
}
