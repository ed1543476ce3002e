import type { Children } from '@kitajs/html';
import type { ViewerModel } from '../../src/web/view-models/viewer.ts';

/**
 * htmx is configured here, not in a script: no eval, no inline scripts or styles (the CSP forbids
 * them), requests only to this origin, and 4xx answers swapped in so an error message shows.
 */
const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  selfRequestsOnly: true,
  historyCacheSize: 0,
  responseHandling: [
    { code: '204', swap: false },
    { code: '[234]..', swap: true, error: false },
    { code: '...', swap: false, error: true },
  ],
});

export type NavItem = 'dashboard' | 'backtests' | 'docs' | 'login';

export function Layout(props: { title: string; viewer: ViewerModel; active?: NavItem; scripts?: readonly string[]; children?: Children }) {
  const { viewer } = props;
  const headers = viewer.csrf ? JSON.stringify({ 'X-CSRF-Token': viewer.csrf }) : undefined;
  return (
    <>
      {'<!doctype html>'}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="dark" />
          <meta name="htmx-config" content={HTMX_CONFIG} />
          <title safe>{props.title} · Quant Scalper</title>
          <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/assets/app.css" />
          <script src="/assets/vendor/htmx.min.js" defer></script>
          <script src="/assets/vendor/htmx-ext-sse.js" defer></script>
          {(props.scripts ?? []).map((src) => <script src={src} defer></script>)}
        </head>
        <body hx-ext="sse" hx-headers={headers}>
          <Nav active={props.active} viewer={viewer} />
          <main>{props.children}</main>
          <footer>
            Charts: <a href="https://www.tradingview.com/lightweight-charts/" rel="noopener noreferrer">TradingView Lightweight Charts™</a>
          </footer>
        </body>
      </html>
    </>
  );
}

function Nav(props: { active: NavItem | undefined; viewer: ViewerModel }) {
  const link = (item: NavItem, href: string, label: string) => (
    <a href={href} class={props.active === item ? 'active' : undefined} aria-current={props.active === item ? 'page' : undefined} safe>
      {label}
    </a>
  );
  return (
    <nav class="top">
      <span class="brand">Quant Scalper</span>
      {link('dashboard', '/', 'Dashboard')}
      {link('backtests', '/backtests', 'Backtests')}
      <a href="/statecharts">Statecharts</a>
      {link('docs', '/docs', 'API')}
      <span class="spacer"></span>
      {props.viewer.loggedIn ? (
        <form method="post" action="/logout" class="inline">
          <input type="hidden" name="_csrf" value={props.viewer.csrf ?? ''} />
          <button type="submit" class="link">Log out</button>
        </form>
      ) : (
        link('login', '/login', 'Log in')
      )}
    </nav>
  );
}
