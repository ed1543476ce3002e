import type { Subprocess } from 'bun';

/**
 * `bun src/main.ts` as a real child process whose log lines a test can wait for.
 * Used by the end-to-end tests (kill -9 recovery, shutdown).
 */
export class ChildService {
  readonly proc: Subprocess<'ignore', 'pipe', 'pipe'>;
  private text = '';
  private readonly waiters: Array<{ re: RegExp; from: number; resolve: (m: RegExpMatchArray) => void }> = [];
  readonly done: Promise<number>;

  constructor(args: readonly string[], opts: { cwd: string; env?: Record<string, string | undefined> }) {
    const proc = Bun.spawn(['bun', 'src/main.ts', ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' });
    this.proc = proc;
    this.done = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of proc.stdout) {
        this.text += decoder.decode(chunk, { stream: true });
        this.check();
      }
      return proc.exited;
    })();
  }

  get output(): string {
    return this.text;
  }

  /** Resolves with the first line at or after `from` (an offset into the output) matching `re`. */
  waitFor(re: RegExp, timeoutMs = 20_000, from = 0): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matching ${re} within ${timeoutMs} ms; output so far:\n${this.text.slice(-3000)}`)), timeoutMs);
      this.waiters.push({ re, from, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      this.check();
    });
  }

  async stderr(): Promise<string> {
    return new Response(this.proc.stderr).text();
  }

  private check(): void {
    for (const w of [...this.waiters]) {
      const lines = this.text.slice(w.from).split('\n');
      for (const line of lines.slice(0, -1)) {
        const m = line.match(w.re);
        if (m) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
          break;
        }
      }
    }
  }
}
