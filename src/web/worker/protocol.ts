import type { Bar } from '../../domain/bar.ts';
import type { LogFields, LogLevel } from '../../domain/log.ts';
import type { MarketViewOptions } from '../../app/market-view.ts';
import type { AdmissionOptions } from '../security/admission.ts';
import type { RpcChannel } from './rpc.ts';

/** What the web thread starts with: everything but the facade, which it reaches through `rpc`. */
export interface WebWorkerData {
  readonly rpc: RpcChannel;
  readonly options: {
    readonly host: string;
    readonly port: number;
    readonly token?: string;
    readonly pushIntervalMs?: number;
    readonly admission?: AdmissionOptions;
  };
  readonly market: MarketViewOptions;
  /** The live chart's bars so far, oldest first. */
  readonly bars: readonly Bar[];
}

export type ToWorker = { readonly type: 'bar'; readonly bar: Bar } | { readonly type: 'stop' };

export type ToHost =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'failed'; readonly name: string; readonly message: string }
  | { readonly type: 'log'; readonly level: LogLevel; readonly event: string; readonly fields: LogFields }
  | { readonly type: 'stopped' };
