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
