/**
 * The crash-point harness: every journal write and every broker call is a numbered point, and a
 * test can make the process die hard (SIGKILL, no cleanup) at point k through the environment:
 *
 *   QS_CRASH_AT=k        die at the k-th point (1-based) of this process
 *   QS_CRASH_POINTS=FILE append "k name" for every point passed (to learn the points of a run)
 *
 * Unset (as in production) a point costs one comparison. Nothing else reads these variables.
 */

const crashAt = Number(process.env.QS_CRASH_AT ?? 0);
const logFile = process.env.QS_CRASH_POINTS ?? null;
const active = crashAt > 0 || logFile !== null;
let passed = 0;

export function crashPoint(name: string): void {
  if (!active) return;
  passed++;
  if (logFile !== null) require('node:fs').appendFileSync(logFile, `${passed} ${name}\n`);
  if (passed === crashAt) {
    process.stderr.write(`crash point ${passed} (${name}): exiting hard\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}
