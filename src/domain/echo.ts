/**
 * A value from outside (a CSV cell, a header, a Host name) shown back in an error message or a
 * log line: at most `max` characters, and no control characters, so a 100 MB cell stays one short
 * line and an ESC sequence cannot repaint the operator's terminal. Control characters (C0, DEL,
 * C1, and the bidirectional overrides that reorder text) are written as \xNN / \u{NNNN}.
 */
export const ECHO_MAX = 80;

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

export function echo(value: string, max = ECHO_MAX): string {
  const chars = [...value.slice(0, max * 2 + 2)];
  const total = value.length;
  const cut = chars.length > max || total > value.slice(0, max * 2 + 2).length;
  const shown = chars
    .slice(0, max)
    .join('')
    .replace(UNSAFE, (c) => {
      const code = c.codePointAt(0)!;
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
    });
  return cut ? `${shown}… (${total.toLocaleString('en-US')} characters)` : shown;
}
