/**
 * How config problems are described. Every problem names the field path, what was wrong and the
 * fix, because the person reading it is an operator about to put money at risk, not a developer.
 */

export interface Issue {
  /** `critical` is a warning that the config trades real money: shown first and loudest. */
  readonly level: 'critical' | 'error' | 'warning';
  /** Dotted field path (`risk.dailyLossLimit`); empty when the problem is the file itself. */
  readonly path: string;
  readonly message: string;
}

/** The config cannot be used. Carries every problem found, not just the first. */
export class ConfigError extends Error {
  override name = 'ConfigError';

  constructor(
    readonly source: string,
    readonly issues: readonly Issue[],
  ) {
    super(describe(source, issues));
  }
}

export function formatIssue(issue: Issue): string {
  return issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
}

function describe(source: string, issues: readonly Issue[]): string {
  if (issues.length === 1) return `${source}: ${formatIssue(issues[0]!)}`;
  return `${source}: ${issues.length} problems\n${issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`;
}

/** A value as the user would recognise it in their YAML, kept short. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // Single quotes: the form a user would type in YAML and on the command line.
  const text = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The candidate closest to `word` by edit distance, if it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  // One edit per three letters: catches typos without matching unrelated short words.
  return bestDistance <= Math.max(1, Math.floor(w.length / 3)) ? best : undefined;
}

/** " — did you mean 'x'?" when a close candidate exists, else the list of what is allowed. */
export function suggestion(word: string, candidates: readonly string[], prefix = ''): string {
  const near = closest(word, candidates);
  if (near !== undefined) return ` — did you mean '${prefix}${near}'?`;
  return candidates.length > 0 ? ` (known: ${candidates.join(', ')})` : '';
}

/** Edit distance where swapping two neighbours counts as one edit: the commonest typo. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}
