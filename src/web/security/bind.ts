import { TOKEN_RULE, tokenWeakness } from '../../config/token-strength.ts';
import { isLoopbackHost } from './gate.ts';

/** Refuses a bind other machines can reach without a strong token; true when the bind is loopback. */
export function checkBind(host: string, token: string | undefined): boolean {
  const loopback = isLoopbackHost(host);
  // The config validator refuses this too; a second check here keeps any other caller honest.
  if (!loopback && !token) {
    throw Object.assign(new Error(`web.host ${host} is reachable from other machines, so the dashboard needs a token: set QS_DASHBOARD_TOKEN (${TOKEN_RULE}), or bind 127.0.0.1`), { name: 'ConfigError' });
  }
  const weak = loopback ? null : tokenWeakness(token!);
  if (weak) throw Object.assign(new Error(`web.host ${host}: ${weak}`), { name: 'ConfigError' });
  return loopback;
}
