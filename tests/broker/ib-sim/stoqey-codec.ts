import { Decoder } from '@stoqey/ib/dist/core/io/decoder';
import { Encoder } from '@stoqey/ib/dist/core/io/encoder';
import { fieldText, type Field } from '../../../src/broker/ib-sim/codec.ts';
import type { Message } from '../../../src/broker/ib-sim/responses.ts';

export interface Decoded {
  readonly events: Array<{ name: string; args: unknown[] }>;
  /** The decoder's own complaints: too few fields ("underrun") or fields left over. */
  readonly errors: string[];
}

/** A gateway message through @stoqey/ib's own decoder at server version `v`. */
export function decodeAt(v: number, msg: Message | readonly Field[]): Decoded {
  const fields = typeof msg === 'function' ? msg(v) : msg;
  const events: Array<{ name: string; args: unknown[] }> = [];
  const errors: string[] = [];
  const decoder = new Decoder({
    serverVersion: v,
    emitEvent: (name: string, ...args: unknown[]) => void events.push({ name, args }),
    // The decoder reports its own trouble (underrun, leftover fields) with code 505; TWS errors pass through.
    emitError: (m: string, code: number, reqId?: number) => void (code === 505 ? errors.push(m) : events.push({ name: 'error', args: [m, code, reqId] })),
    emitInfo: (m: string, code: number) => void events.push({ name: 'info', args: [m, code] }),
  } as never);
  decoder.enqueueMessage(fields.map(fieldText));
  decoder.process();
  return { events, errors };
}

/** The fields @stoqey/ib's encoder writes for one call at server version `v`, as the gateway receives them. */
export function encodeAt(v: number, call: (e: Encoder) => void): string[] {
  let sent: unknown[] = [];
  const errors: string[] = [];
  const encoder = new Encoder({ serverVersion: v, sendMsg: (tokens: unknown[]) => void (sent = tokens), emitError: (m: string) => void errors.push(m) } as never);
  call(encoder);
  if (errors.length > 0) throw new Error(errors.join('; '));
  // The socket layer writes each token as text: booleans as 0/1, undefined as empty (IB's encoding).
  return sent.flat(Infinity).map((t) => (t === undefined || t === null ? '' : typeof t === 'boolean' ? (t ? '1' : '0') : String(t)));
}
