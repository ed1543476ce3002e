import { money, tone } from '../format.ts';

/** A signed dollar amount, green for profit and red for loss. */
export function Money(props: { value: number | null | undefined; signed?: boolean }) {
  return <span class={`money ${tone(props.value)}`} safe>{money(props.value, props.signed ?? true)}</span>;
}

export type BadgeTone = 'ok' | 'warn' | 'bad' | 'info' | 'muted';

export function Badge(props: { tone: BadgeTone; text: string; title?: string; testid?: string }) {
  return (
    <span class={`badge ${props.tone}`} title={props.title} data-testid={props.testid} safe>
      {props.text}
    </span>
  );
}

/** "used of limit" with a meter that turns amber past half and red past 80 %. */
export function Gauge(props: { label: string; used: number; limit: number; testid?: string }) {
  const used = Math.max(0, props.used);
  return (
    <div class="gauge" data-testid={props.testid}>
      <div class="gauge-head">
        <span safe>{props.label}</span>
        <span safe>{`${money(used, false)} / ${money(props.limit, false)}`}</span>
      </div>
      <meter min={0} max={props.limit} low={props.limit * 0.5} high={props.limit * 0.8} optimum={0} value={Math.min(used, props.limit)}></meter>
    </div>
  );
}

/** Previous / next links for a paged fragment; `href(page)` builds each page's URL. */
export function Pager(props: { page: number; pageSize: number; total: number; href: (page: number) => string; target: string }) {
  const last = Math.max(1, Math.ceil(props.total / props.pageSize));
  const from = props.total === 0 ? 0 : (props.page - 1) * props.pageSize + 1;
  const to = Math.min(props.total, props.page * props.pageSize);
  const nav = (page: number, label: string, enabled: boolean) =>
    enabled ? (
      <a href={props.href(page)} hx-get={props.href(page)} hx-target={props.target} hx-swap="outerHTML" safe>
        {label}
      </a>
    ) : (
      <span class="muted" safe>{label}</span>
    );
  return (
    <div class="pager">
      {nav(props.page - 1, '‹ newer', props.page > 1)}
      <span>
        {from}–{to} of {props.total}
      </span>
      {nav(props.page + 1, 'older ›', props.page < last)}
    </div>
  );
}
