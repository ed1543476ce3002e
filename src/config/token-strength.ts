/**
 * The rule for a dashboard token that is reachable from other machines: at least 32 characters,
 * at least 10 of them different. `openssl rand -base64 32` (43 characters) and `openssl rand -hex 32`
 * (64) pass; a word, a date or `aaaa…` does not. With a lockout after a few wrong guesses (see the
 * web gate's Throttle) a random 32-character token cannot be guessed in any lifetime.
 */
export const MIN_TOKEN_LENGTH = 32;
export const MIN_DISTINCT_CHARS = 10;
export const TOKEN_RULE = `at least ${MIN_TOKEN_LENGTH} characters with at least ${MIN_DISTINCT_CHARS} different ones; generate one with: openssl rand -base64 32`;

/** Why `token` is too weak for a non-loopback bind, or null when it is strong enough. Never echoes the token. */
export function tokenWeakness(token: string): string | null {
  const length = [...token].length;
  if (length < MIN_TOKEN_LENGTH) return `QS_DASHBOARD_TOKEN is ${length} characters; a dashboard reachable from other machines needs ${TOKEN_RULE}`;
  const distinct = new Set(token).size;
  if (distinct < MIN_DISTINCT_CHARS) return `QS_DASHBOARD_TOKEN uses only ${distinct} different characters; a dashboard reachable from other machines needs ${TOKEN_RULE}`;
  return null;
}
