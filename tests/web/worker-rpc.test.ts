import { afterEach, describe, expect, test } from 'bun:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { rpcChannel, serveCalls } from '../../src/web/worker/rpc.ts';

// A real worker thread calls into objects of this thread through the channel, synchronously.
let stops: Array<() => unknown> = [];
afterEach(async () => {
  for (const s of stops) await s();
  stops = [];
});

function callFromWorker(targets: Record<string, object>, script: string, timeoutMs = 2000): Promise<unknown> {
  const { serve, client } = rpcChannel();
  stops.push(serveCalls(serve, targets));
  const source = `
    import { workerData, parentPort } from 'node:worker_threads';
    import { rpcClient } from ${JSON.stringify(new URL('../../src/web/worker/rpc.ts', import.meta.url).pathname)};
    const rpc = rpcClient(workerData.channel, ${timeoutMs});
    const out = [];
    const run = async () => { ${script} };
    run().then(() => parentPort.postMessage(out), (e) => parentPort.postMessage({ failed: e.name + ': ' + e.message }));
  `;
  const file = join(mkdtempSync(join(tmpdir(), 'qs-rpc-')), 'worker.ts');
  writeFileSync(file, source);
  const worker = new Worker(file, { workerData: { channel: client }, transferList: [client.calls, client.settled] });
  stops.push(() => worker.terminate());
  return new Promise((resolve, reject) => {
    worker.on('message', resolve);
    worker.on('error', reject);
  });
}

describe('calls from the web thread into the trading thread', () => {
  test('a call answers synchronously with the method’s value, arguments and all', async () => {
    let calls = 0;
    const app = { status: (n: number) => ({ calls: ++calls, n, at: [1, 2] }) };
    const out = await callFromWorker({ app }, `const a = rpc.remote('app'); out.push(a.status(7)); out.push(a.status(8));`);
    expect(out).toEqual([{ calls: 1, n: 7, at: [1, 2] }, { calls: 2, n: 8, at: [1, 2] }]);
  });

  test('a method that returns a promise gives the web thread a promise that settles with it', async () => {
    const app = { flatten: async (who: string) => (await Bun.sleep(20), { ok: true, who }), failing: async () => Promise.reject(new RangeError('venue down')) };
    const out = await callFromWorker({ app }, `const a = rpc.remote('app'); const p = a.flatten('web'); out.push(p instanceof Promise); out.push(await p); try { await a.failing(); } catch (e) { out.push(e.name + ': ' + e.message); }`);
    expect(out).toEqual([true, { ok: true, who: 'web' }, 'RangeError: venue down']);
  });

  test('an error thrown on the trading thread is thrown on the web thread, with its name and message', async () => {
    const app = {
      broken: () => {
        throw new TypeError('no such run');
      },
    };
    const out = await callFromWorker({ app }, `try { rpc.remote('app').broken(); } catch (e) { out.push(e.name + ': ' + e.message); }`);
    expect(out).toEqual(['TypeError: no such run']);
  });

  test('an unknown target, an unknown method, a prototype member and a value that cannot cross are errors, not hangs', async () => {
    const app = { fn: () => () => 1 };
    const out = await callFromWorker(
      { app },
      `for (const [t, m] of [['nope', 'status'], ['app', 'missing'], ['app', 'constructor'], ['app', 'fn']]) { try { rpc.remote(t)[m](); out.push('answered'); } catch (e) { out.push(e.message); } }`,
    );
    expect(out).toEqual(['nope.status is not a remote method', 'app.missing is not a remote method', 'app.constructor is not a remote method', expect.stringMatching(/clone/i)]);
  });

  test('a trading thread that does not answer in time fails the call; a later call still gets its own answer', async () => {
    let block = true;
    const app = {
      slow: () => {
        if (block) {
          const end = performance.now() + 150;
          while (performance.now() < end) {}
        }
        return 'slow done';
      },
      fast: () => 'fast',
    };
    // This thread busy-waits inside `slow` (as a long bar would), so the first call times out at 100 ms.
    const out = await callFromWorker({ app }, `const a = rpc.remote('app'); try { a.slow(); } catch (e) { out.push(e.name); } out.push(a.fast());`, 100);
    block = false;
    expect(out).toEqual(['RpcTimeout', 'fast']);
  });

  test('a promise that settles with a value that cannot cross rejects on the web thread instead of hanging', async () => {
    const app = { later: async () => ({ fn: () => 1 }) };
    const out = await callFromWorker({ app }, `try { await rpc.remote('app').later(); out.push('resolved'); } catch (e) { out.push(e.message); }`);
    expect(out).toEqual([expect.stringMatching(/clone/i)]);
  });

  test('an awaited remote object is not mistaken for a promise', async () => {
    const out = await callFromWorker({ app: { x: () => 1 } }, `const a = await rpc.remote('app'); out.push(typeof a.x, a.x());`);
    expect(out).toEqual(['function', 1]);
  });
});
