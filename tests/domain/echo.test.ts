import { describe, expect, test } from 'bun:test';
import { echo } from '../../src/domain/echo.ts';

describe('echo: an outside value made safe to print', () => {
  test('a short printable value is shown as it is', () => {
    expect(echo('5000.3')).toBe('5000.3');
    expect(echo('café ✓')).toBe('café ✓');
  });

  test('a huge value is cut to 80 characters and says how long it was', () => {
    const shown = echo('9'.repeat(100_000_000));
    expect(shown).toBe(`${'9'.repeat(80)}… (100,000,000 characters)`);
  });

  test('terminal escapes and other control characters are written out, never emitted', () => {
    const shown = echo('\u001b[2J\u001b]0;owned\u0007x\r\n\u202eevil');
    expect(shown).toBe('\\x1b[2J\\x1b]0;owned\\x07x\\x0d\\x0a\\u{202e}evil');
    expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
  });

  test('the cut happens before escaping, so the result stays short even for all-control input', () => {
    expect(echo('\u001b'.repeat(1000)).length).toBeLessThan(80 * 4 + 40);
  });
});
