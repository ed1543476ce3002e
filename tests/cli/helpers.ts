import { expect } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root: commands run from here, as `bun run <command>` would. */
export const ROOT = join(import.meta.dir, '..', '..');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type Command = 'backtest' | 'optimize' | 'walkforward' | 'simulate' | 'bench';

/** Runs `bun src/cli/<command>.ts args…` as a child process with stdout and stderr as pipes. */
export async function runCli(command: Command, args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const proc = Bun.spawn(['bun', `src/cli/${command}.ts`, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdout: 'pipe', stderr: 'pipe', stdin: 'ignore' });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

/** Parses stdout as exactly one JSON document on one line; fails the test otherwise. */
export function onlyJson<T>(r: CliResult): T {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout.endsWith('\n')).toBe(true);
  expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
  return JSON.parse(r.stdout) as T;
}

/** A user error: exit code 2, nothing on stdout, one line on stderr naming the problem. */
export function expectUsageError(r: CliResult, ...fragments: string[]): void {
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]!.startsWith('error: ')).toBe(true);
  for (const f of fragments) expect(lines[0]).toContain(f);
}

/** A scratch directory per test file; `store(name)` gives `--set store.path=…` for a store file in it. */
export function scratch(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return {
    dir,
    path: (name: string) => join(dir, name),
    store: (name = 'qs.db') => ['--set', `store.path=${join(dir, name)}`],
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Whether util-linux `script` is here to give a child a terminal. */
export const HAS_SCRIPT = Bun.which('script') !== null;

/**
 * Runs a command with stderr on a pseudo-terminal (via `script`) and stdout into `stdoutFile`;
 * returns what the terminal showed, i.e. the command's stderr.
 */
export async function runCliOnTerminal(command: Command, args: readonly string[], stdoutFile: string): Promise<{ code: number; terminal: string }> {
  const line = `bun src/cli/${command}.ts ${args.map(quote).join(' ')} > ${quote(stdoutFile)}`;
  const proc = Bun.spawn(['script', '-qec', line, '/dev/null'], { cwd: ROOT, env: process.env, stdout: 'pipe', stderr: 'pipe', stdin: 'ignore' });
  const [terminal, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  return { code, terminal };
}

export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const METRIC_KEYS = ['trades', 'winRate', 'netPnl', 'grossProfit', 'grossLoss', 'profitFactor', 'expectancy', 'maxDrawdown', 'maxDrawdownPct', 'sharpe', 'sortino', 'avgHoldMinutes'];

/** True when a dollar amount is a number with at most two decimals. */
export const isDollars = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && Math.abs(Math.round(v * 100) / 100 - v) < 1e-9;
