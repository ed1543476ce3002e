/** Kita components built here are synchronous; a Promise means someone added an async one. */
export function render(element: JSX.Element): string {
  if (typeof element !== 'string') throw new TypeError('expected a synchronous view; an async component slipped in');
  return element;
}
