import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/**
 * Calls from the web thread into objects that live on the trading thread (the app facade, the
 * research store), as if they were local. The web code calls them synchronously, so a call posts
 * its request and the web thread waits on a shared flag until the trading thread has answered
 * (between two bars: it answers from its own event loop, never mid-bar). A method that returns a
 * promise (a flatten) answers "pending" at once and settles later on a second port, so the web
 * thread keeps serving while the venue works.
 *
 * Arguments and results cross by structured clone: plain data only, which is what the facade deals in.
 */

export interface RpcChannel {
  /** Requests and their immediate answers. */
  readonly calls: MessagePort;
  /** Settlements of answers that were promises. */
  readonly settled: MessagePort;
  /** 0 while a call waits, 1 once its answer is posted. */
  readonly flag: Int32Array;
}

interface Request {
  readonly id: number;
  readonly target: string;
  readonly method: string;
  readonly args: readonly unknown[];
}

type Answer = { readonly id: number; readonly value: unknown } | { readonly id: number; readonly error: { name: string; message: string } } | { readonly id: number; readonly pending: true };

/** The two ends: `serve` on the trading thread, `client` (transferred to the web thread). */
export function rpcChannel(): { serve: RpcChannel; client: RpcChannel } {
  const calls = new MessageChannel();
  const settled = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  return { serve: { calls: calls.port1, settled: settled.port1, flag }, client: { calls: calls.port2, settled: settled.port2, flag } };
}

const errorOf = (e: unknown) => (e instanceof Error ? { name: e.name, message: e.message } : { name: 'Error', message: String(e) });

/** Answers calls to `targets` (trading thread). Returns a function that stops answering. */
export function serveCalls(channel: RpcChannel, targets: Readonly<Record<string, object>>): () => void {
  const answer = (a: Answer) => {
    channel.calls.postMessage(a);
    Atomics.store(channel.flag, 0, 1);
    Atomics.notify(channel.flag, 0);
  };
  const onCall = (r: Request) => {
    const target = Object.hasOwn(targets, r.target) ? (targets[r.target] as Record<string, unknown>) : undefined;
    // Own members only: `constructor` or `__proto__` must not reach Object's.
    const fn = target !== undefined && Object.hasOwn(target, r.method) ? target[r.method] : undefined;
    if (typeof fn !== 'function') return answer({ id: r.id, error: { name: 'TypeError', message: `${r.target}.${r.method} is not a remote method` } });
    let value: unknown;
    try {
      value = fn.apply(target, r.args);
    } catch (e) {
      return answer({ id: r.id, error: errorOf(e) });
    }
    if (!(value instanceof Promise)) {
      try {
        return answer({ id: r.id, value });
      } catch (e) {
        // Not cloneable: a bug in what the facade returns, reported to the caller rather than hanging it.
        return answer({ id: r.id, error: errorOf(e) });
      }
    }
    answer({ id: r.id, pending: true });
    const settle = (a: Answer) => {
      try {
        channel.settled.postMessage(a);
      } catch (e) {
        // A settled value that cannot cross: the caller's promise rejects instead of waiting forever.
        channel.settled.postMessage({ id: r.id, error: errorOf(e) });
      }
    };
    value.then(
      (v) => settle({ id: r.id, value: v }),
      (e) => settle({ id: r.id, error: errorOf(e) }),
    );
  };
  channel.calls.on('message', onCall);
  return () => {
    channel.calls.off('message', onCall);
    channel.calls.close();
    channel.settled.close();
  };
}

export interface RpcClient {
  /** An object whose every method calls `target`'s method of that name on the trading thread. */
  remote<T extends object>(target: string): T;
  close(): void;
}

/** The web thread's end. `timeoutMs`: how long a call waits for the trading thread before it fails. */
export function rpcClient(channel: RpcChannel, timeoutMs = 10_000): RpcClient {
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const toError = (e: { name: string; message: string }) => Object.assign(new Error(e.message), { name: e.name });
  channel.settled.on('message', (a: Answer) => {
    const p = pending.get(a.id);
    if (!p) return;
    pending.delete(a.id);
    if ('error' in a) p.reject(toError(a.error));
    else if ('value' in a) p.resolve(a.value);
  });

  const call = (target: string, method: string, args: unknown[]): unknown => {
    const id = ++next;
    Atomics.store(channel.flag, 0, 0);
    channel.calls.postMessage({ id, target, method, args } satisfies Request);
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      // Answers to calls that timed out earlier may come first: they are dropped.
      for (let m = receiveMessageOnPort(channel.calls); m !== undefined; m = receiveMessageOnPort(channel.calls)) {
        const a = m.message as Answer;
        if (a.id !== id) continue;
        if ('error' in a) throw toError(a.error);
        if ('value' in a) return a.value;
        return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
      }
      const left = deadline - performance.now();
      if (left <= 0) throw Object.assign(new Error(`the trading thread did not answer ${target}.${method} within ${timeoutMs} ms`), { name: 'RpcTimeout' });
      Atomics.wait(channel.flag, 0, 0, left);
      Atomics.store(channel.flag, 0, 0);
    }
  };

  return {
    remote<T extends object>(target: string): T {
      return new Proxy({} as T, {
        // Not `then`: an awaited proxy must not look like a promise.
        get: (_, method) => (typeof method === 'string' && method !== 'then' ? (...args: unknown[]) => call(target, method, args) : undefined),
      });
    },
    close() {
      channel.calls.close();
      channel.settled.close();
    },
  };
}
