import type { NestingToggle } from '../../src/web/statecharts/view-model.ts';

/** Collapse or expand each compound state (a link: works without script, and the URL says what is shown). */
export function Nesting(props: { toggles: readonly NestingToggle[] }) {
  if (props.toggles.length === 0) return '';
  return (
    <p class="sc-nesting" data-testid="sc-nesting">
      <span class="muted small">Nested states:</span>
      {props.toggles.map((t) => (
        <a href={t.href} class="sc-toggle" data-toggle={t.path} data-collapsed={String(t.collapsed)} title={t.collapsed ? `show the states inside ${t.path}` : `draw ${t.path} as one box`}>
          <span safe>{`${t.collapsed ? '▸ expand' : '▾ collapse'} ${t.path}`}</span>
        </a>
      ))}
    </p>
  );
}

/** The diagram panel: nesting toggles, zoom controls (statechart.js drives them) and the figure. */
export function Diagram(props: { toggles: readonly NestingToggle[]; svg: string }) {
  return (
    <section class="panel">
      <Nesting toggles={props.toggles} />
      <div class="sc-zoom" data-testid="sc-zoom">
        <button type="button" data-zoom="out" title="zoom out">−</button>
        <button type="button" data-zoom="fit" title="fit the width">fit</button>
        <button type="button" data-zoom="in" title="zoom in">+</button>
        <span class="muted small" data-zoom-level>100%</span>
        <span class="muted small">drag to pan</span>
      </div>
      <div class="sc-figure sc-figure-large">{props.svg}</div>
    </section>
  );
}
