import { describe, expect, test } from 'bun:test';
import { connect, type Socket } from 'node:net';
import { encodeFrame, FrameDecoder, MAX_FRAME_BYTES, negotiateVersion, splitFields } from '../../../src/broker/ib-sim/codec.ts';
import { startFakeGateway } from '../../../src/broker/ib-sim/gateway.ts';
import { decodeRequest, RequestError } from '../../../src/broker/ib-sim/requests.ts';

const hello = (versions: string) => {
  const body = Buffer.from(versions, 'latin1');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([Buffer.from('API\0', 'latin1'), len, body]);
};

describe('frame encoding', () => {
  test('a frame is a 4-byte big-endian length, then each field terminated by NUL', () => {
    const frame = encodeFrame([9, 1, 'abc', true, undefined]);
    expect(frame.readUInt32BE(0)).toBe(frame.length - 4);
    expect(frame.subarray(4).toString('latin1')).toBe('9\x001\x00abc\x001\x00\x00');
  });

  test('a body that does not end in NUL is not a list of fields', () => {
    expect(splitFields(Buffer.from('3\x001', 'latin1'))).toBeNull();
    expect(splitFields(Buffer.from('3\x001\x00', 'latin1'))).toEqual(['3', '1']);
  });

  test('a non-finite number cannot be encoded (it would be garbage on the wire)', () => {
    expect(() => encodeFrame([Number.NaN])).toThrow(/NaN/);
  });
});

describe('frame decoding', () => {
  test('the greeting, the version hello and messages are read across arbitrary chunking', () => {
    const bytes = Buffer.concat([hello('v100..193'), encodeFrame([71, 2, 1, '']), encodeFrame([49, 1])]);
    const d = new FrameDecoder();
    const out = [...bytes].flatMap((b) => d.push(Buffer.from([b])));
    expect(out).toEqual([
      { type: 'hello', versions: 'v100..193' },
      { type: 'message', fields: ['71', '2', '1', ''] },
      { type: 'message', fields: ['49', '1'] },
    ]);
  });

  test('a truncated frame waits for the rest instead of being read short', () => {
    const d = new FrameDecoder();
    d.push(hello('v100'));
    const frame = encodeFrame([8, 1, 1]);
    expect(d.push(frame.subarray(0, frame.length - 2))).toEqual([]);
    expect(d.push(frame.subarray(frame.length - 2))).toEqual([{ type: 'message', fields: ['8', '1', '1'] }]);
  });

  test('a frame without NUL terminators is garbled, and the stream goes on after it', () => {
    const d = new FrameDecoder();
    d.push(hello('v100'));
    const bad = Buffer.concat([Buffer.from([0, 0, 0, 3]), Buffer.from('xyz')]);
    expect(d.push(Buffer.concat([bad, encodeFrame([49, 1])]))).toEqual([
      { type: 'garbled', reason: 'a 3-byte frame is not a list of NUL-terminated fields' },
      { type: 'message', fields: ['49', '1'] },
    ]);
  });

  test('an impossible length or a missing greeting makes the stream unreadable', () => {
    const d = new FrameDecoder();
    d.push(hello('v100'));
    const huge = Buffer.alloc(4);
    huge.writeUInt32BE(MAX_FRAME_BYTES + 1);
    expect(d.push(huge)[0]?.type).toBe('fatal');
    expect(new FrameDecoder().push(Buffer.from('GET / HTTP/1.1\r\n'))[0]?.type).toBe('fatal');
  });

  test('the version is the highest both sides speak, or none', () => {
    expect(negotiateVersion('v100..193', 100, 100)).toBe(100);
    expect(negotiateVersion('v100..193 +PACEAPI', 100, 150)).toBe(150);
    expect(negotiateVersion('v90..99', 100, 100)).toBeNull();
    expect(negotiateVersion('hello', 100, 100)).toBeNull();
  });
});

describe('request decoding', () => {
  test('a message that ends early is error 320 naming the missing field and the request id', () => {
    const err = (() => {
      try {
        decodeRequest(['9', '8', '42', '0', 'MES'], 100);
      } catch (e) {
        return e as RequestError;
      }
    })();
    expect(err).toBeInstanceOf(RequestError);
    expect(err?.code).toBe(320);
    expect(err?.reqId).toBe(42);
    expect(err?.message).toContain("'secType'");
  });

  test('a field of the wrong kind is 321, an unknown message id is 505', () => {
    expect(() => decodeRequest(['8', 'one', '1'], 100)).toThrow(/must be a whole number, got 'one'/);
    expect(() => decodeRequest(['8', 'one', '1'], 100)).toThrow(expect.objectContaining({ code: 321 }));
    expect(() => decodeRequest(['999'], 100)).toThrow(expect.objectContaining({ code: 505 }));
    expect(() => decodeRequest(['x'], 100)).toThrow(expect.objectContaining({ code: 505 }));
  });
});

describe('the fake gateway answers bad input the way TWS does', () => {
  async function rawSession(port: number): Promise<{ socket: Socket; frames: string[][]; closed: () => boolean }> {
    const frames: string[][] = [];
    let isClosed = false;
    const socket = connect({ port, host: '127.0.0.1' });
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
        const n = buf.readUInt32BE(0);
        frames.push(buf.subarray(4, 4 + n).toString('utf8').split('\0').slice(0, -1));
        buf = buf.subarray(4 + n);
      }
    });
    socket.on('close', () => {
      isClosed = true;
    });
    await new Promise<void>((r) => socket.once('connect', () => r()));
    return { socket, frames, closed: () => isClosed };
  }
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 200 && !cond(); i++) await Bun.sleep(5);
  };

  test('the handshake picks the highest common version (ib_async offers 157..178) and sends the connection time with its zone', async () => {
    const gw = await startFakeGateway({ port: 0 });
    const pinned = await startFakeGateway({ port: 0, minVersion: 176, maxVersion: 176 });
    try {
      const answer = async (port: number, range: string) => {
        const s = await rawSession(port);
        s.socket.write(hello(range));
        await until(() => s.frames.length > 0 || s.closed());
        s.socket.destroy();
        return s.frames[0] ?? 'closed';
      };
      expect((await answer(gw.port, 'v157..178'))[0]).toBe('178');
      expect((await answer(gw.port, 'v100..100'))[0]).toBe('100');
      expect((await answer(pinned.port, 'v100..193'))[0]).toBe('176');
      expect(await answer(pinned.port, 'v100..175')).toBe('closed');
      // Monday 5 Jan 2026 in New York (winter): the short zone name as TWS writes it.
      expect((await answer(gw.port, 'v100..193'))[1]).toMatch(/^\d{8} \d{2}:\d{2}:\d{2} EST$/);
    } finally {
      await gw.close();
      await pinned.close();
    }
  });

  test('garbled and truncated messages get error messages and the session stays usable', async () => {
    const gw = await startFakeGateway({ port: 0 });
    try {
      const s = await rawSession(gw.port);
      s.socket.write(hello('v100..193'));
      s.socket.write(encodeFrame([71, 2, 7, '']));
      await until(() => s.frames.some((f) => f[0] === '15'));
      expect(s.frames[0]?.[0]).toBe('193');
      s.socket.write(Buffer.concat([Buffer.from([0, 0, 0, 2]), Buffer.from('zz')]));
      s.socket.write(encodeFrame([9, 8, 5, 0, 'MES']));
      s.socket.write(encodeFrame([777]));
      s.socket.write(encodeFrame([49, 1]));
      await until(() => s.frames.some((f) => f[0] === '49'));
      const errors = s.frames.filter((f) => f[0] === '4').map((f) => [f[2], f[3]]);
      expect(errors).toContainEqual(['-1', '320']);
      expect(errors).toContainEqual(['5', '320']);
      expect(errors).toContainEqual(['-1', '505']);
      expect(s.closed()).toBe(false);
      s.socket.destroy();
    } finally {
      await gw.close();
    }
  });

  test('a stream that is not the TWS API is closed', async () => {
    const gw = await startFakeGateway({ port: 0 });
    try {
      const s = await rawSession(gw.port);
      s.socket.write('GET / HTTP/1.1\r\n\r\n');
      await until(s.closed);
      expect(s.closed()).toBe(true);
    } finally {
      await gw.close();
    }
  });
});
