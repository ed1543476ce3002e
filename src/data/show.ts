/**
 * A value from a file, made safe to print in one error line: control characters (ESC, CSI, CR,
 * …) become `\xNN` so a hostile or binary file cannot drive the terminal, and anything past
 * `max` characters is cut with an ellipsis.
 */
export function shown(value: string, max = 80): string {
  const cut = value.length > max ? value.slice(0, max) : value;
  // eslint-disable-next-line no-control-regex
  const clean = cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `'${clean}${value.length > max ? '…' : ''}'`;
}
