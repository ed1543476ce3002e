/**
 * The TWS socket protocol's framing, server side (API v100+):
 * - the client opens with the bytes `API\0`, then one length-prefixed frame holding the version
 *   range it speaks, e.g. `v100..193` (plus optional connect options after a space);
 * - every later message either way is a frame: a 4-byte big-endian length, then the fields, each
 *   one terminated by a NUL byte. The first field is the message id.
 * A frame whose length cannot be honoured (negative, or larger than IB's 16 MB limit) leaves the
 * stream unreadable, so that is fatal; a frame whose content is bad is one bad message only.
 */

/** IB's own ceiling (the Java client's MAX_MSG_LEN); the @stoqey/ib client uses the same. */
export const MAX_FRAME_BYTES = 0xffffff;
const API_PREFIX = Buffer.from('API\0', 'latin1');

export type Field = string | number | boolean | null | undefined;

export type Decoded =
  | { readonly type: 'hello'; readonly versions: string }
  | { readonly type: 'message'; readonly fields: string[] }
  /** A frame whose bytes are not NUL-terminated fields: the message is lost, the stream is not. */
  | { readonly type: 'garbled'; readonly reason: string }
  /** The stream cannot be read any further: close the connection. */
  | { readonly type: 'fatal'; readonly reason: string };

/** One frame: fields joined and terminated by NUL, as the TWS encoder writes them. */
export function encodeFrame(fields: readonly Field[]): Buffer {
  const text = fields.map(fieldText).join('\0') + '\0';
  const body = Buffer.from(text, 'utf8');
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

/** How TWS writes a value: booleans as 0/1, absent values as an empty field. */
export function fieldText(value: Field): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`cannot encode the number ${value} as a TWS field`);
    return String(value);
  }
  return value;
}

/** The fields of a frame body; null when it is not a list of NUL-terminated fields. */
export function splitFields(body: Buffer): string[] | null {
  if (body.length === 0 || body[body.length - 1] !== 0) return null;
  return body.toString('utf8', 0, body.length - 1).split('\0');
}

/**
 * Incremental reader of the client's byte stream: feed it what the socket delivers, in any
 * chunking, and it returns the complete messages so far. The first frame after `API\0` is the
 * version hello; a stream that does not start with `API\0` is not a TWS API client.
 */
export class FrameDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  private greeted = false;
  /** The next frame is the version hello. */
  private first = false;
  private dead = false;

  push(chunk: Buffer): Decoded[] {
    if (this.dead) return [];
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: Decoded[] = [];
    if (!this.greeted) {
      const have = Math.min(this.buffer.length, API_PREFIX.length);
      if (!this.buffer.subarray(0, have).equals(API_PREFIX.subarray(0, have))) return this.fail(out, 'the connection did not start with the TWS API greeting (API\\0)');
      if (this.buffer.length < API_PREFIX.length) return out;
      this.buffer = this.buffer.subarray(API_PREFIX.length);
      this.greeted = true;
      this.first = true;
    }
    while (this.buffer.length >= 4) {
      const size = this.buffer.readInt32BE(0);
      if (size < 0 || size > MAX_FRAME_BYTES) return this.fail(out, `frame length ${size} is outside 0..${MAX_FRAME_BYTES}`);
      if (this.buffer.length < 4 + size) break;
      const body = this.buffer.subarray(4, 4 + size);
      this.buffer = this.buffer.subarray(4 + size);
      if (this.first) {
        this.first = false;
        // The hello is the one frame that is plain text without a trailing NUL.
        out.push({ type: 'hello', versions: body.toString('latin1').replace(/\0+$/, '') });
        continue;
      }
      const fields = splitFields(body);
      out.push(fields === null ? { type: 'garbled', reason: `a ${size}-byte frame is not a list of NUL-terminated fields` } : { type: 'message', fields });
    }
    return out;
  }

  private fail(out: Decoded[], reason: string): Decoded[] {
    this.dead = true;
    this.buffer = Buffer.alloc(0);
    out.push({ type: 'fatal', reason });
    return out;
  }
}

/**
 * Picks the server version for a client's `vMIN..MAX` (or `vN`) hello: the highest version both
 * sides speak, or null when the ranges do not meet (TWS then hangs up).
 */
export function negotiateVersion(hello: string, serverMin: number, serverMax: number): number | null {
  const m = /^v(\d+)(?:\.\.(\d+))?(?:\s.*)?$/s.exec(hello.trim());
  if (!m) return null;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  const version = Math.min(hi, serverMax);
  return version >= lo && version >= serverMin ? version : null;
}
