/**
 * Telegram's HTML parse mode, as strict as the real server: a message with an unknown tag, an
 * unclosed or crossed tag, or a raw `<`, `>` or `&` is refused ("can't parse entities"). The fake
 * Bot API applies it so a missing escape fails a test instead of a real alert.
 */

const TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'code', 'pre', 'a', 'blockquote', 'tg-spoiler', 'span']);
const ENTITY = /^&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-f]{1,6});/i;
const TAG = /^<(\/?)([a-z-]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*>/i;

export function checkTelegramHtml(text: string): void {
  const open: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '&') {
      const m = ENTITY.exec(text.slice(i));
      if (!m) throw new Error(`can't parse entities: unsupported start tag or entity at byte offset ${i}`);
      i += m[0].length - 1;
    } else if (c === '<') {
      const m = TAG.exec(text.slice(i));
      const name = m?.[2]?.toLowerCase();
      if (!m || !name || !TAGS.has(name)) throw new Error(`can't parse entities: unsupported start tag at byte offset ${i}`);
      if (m[1] === '/') {
        if (open.pop() !== name) throw new Error(`can't parse entities: unmatched end tag "${name}" at byte offset ${i}`);
      } else {
        open.push(name);
      }
      i += m[0].length - 1;
    } else if (c === '>') {
      throw new Error(`can't parse entities: unescaped ">" at byte offset ${i}`);
    }
  }
  if (open.length > 0) throw new Error(`can't parse entities: unclosed tag "${open.at(-1)}"`);
}
