import * as v from 'valibot';

/** JSON has no NaN or Infinity (stringify turns them into null); refuse them rather than store a lie. */
export function toJson(value: unknown, column: string): string {
  const text = JSON.stringify(value, (key, x: unknown) => {
    if (typeof x === 'number' && !Number.isFinite(x)) {
      throw new RangeError(`cannot store ${x} in ${column}${key ? ` (key "${key}")` : ''}: use null for undefined values`);
    }
    return x;
  });
  if (text === undefined) throw new TypeError(`cannot store ${column}: ${typeof value} is not JSON`);
  return text;
}

export function nullableJson(value: unknown, column: string): string | null {
  return value === null ? null : toJson(value, column);
}

/**
 * Parses and validates a JSON column. `unreadable` builds the error, so each table can name
 * the row and column in terms its operator can act on.
 */
export function readJson<S extends v.GenericSchema>(schema: S, text: string, unreadable: (detail: string) => Error): v.InferOutput<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw unreadable(`not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = v.safeParse(schema, raw);
  if (!parsed.success) throw unreadable(v.summarize(parsed.issues));
  return parsed.output;
}
