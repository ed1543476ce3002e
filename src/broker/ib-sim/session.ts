import type { Socket } from 'node:net';
import { encodeFrame, FrameDecoder, negotiateVersion, type Field } from './codec.ts';
import { decodeRequest, RequestError, type ClientRequest } from './requests.ts';
import { errorMessage, type Message } from './responses.ts';

/** What a session needs from its gateway. */
export interface SessionHost {
  /** The server versions this gateway speaks: it picks the highest the client offers within them. */
  readonly versions: { readonly min: number; readonly max: number };
  /** Connection time as TWS sends it in the handshake. */
  connectionTime(): string;
  /** A client id is in use by another connected session. */
  clientIdInUse(clientId: number, by: Session): boolean;
  /** Called once the API is started: send nextValidId, managedAccounts and the farm notices. */
  started(session: Session): void;
  handle(session: Session, request: ClientRequest): void;
  /** Something was sent or received; `fromClient` when received. */
  noteTraffic(fromClient: boolean): void;
  log(line: string): void;
}

type State = 'hello' | 'startApi' | 'ready' | 'closed';

/**
 * One client connection, from the `API\0` greeting to the close. It speaks the framing and the
 * handshake itself and hands each decoded request to the gateway. Bad input is answered the
 * way TWS answers it (an error message), never by throwing: only an unreadable stream (bad
 * greeting, impossible frame length, no common version) closes the connection.
 */
export class Session {
  clientId = -1;
  /** The negotiated server version (0 until the hello). */
  version = 0;
  /** Real-time bar subscriptions (request ids). */
  readonly bars = new Set<number>();
  /** reqMktData subscriptions: request id → market data type (1 real-time, 3 delayed). */
  readonly ticks = new Map<number, number>();
  /** A session that went silent neither sends nor answers, but its socket stays open. */
  silent = false;
  private state: State = 'hello';
  private readonly decoder = new FrameDecoder();

  constructor(
    private readonly socket: Socket,
    private readonly host: SessionHost,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => {
      this.state = 'closed';
    });
  }

  get ready(): boolean {
    return this.state === 'ready' && !this.silent;
  }

  get open(): boolean {
    return this.state !== 'closed';
  }

  /** Sends a message laid out for this session's version (or fields that are the same at every version). */
  send(msg: Message | readonly Field[]): void {
    if (this.silent || this.state === 'closed' || this.socket.destroyed) return;
    this.socket.write(encodeFrame(typeof msg === 'function' ? msg(this.version) : msg));
    this.host.noteTraffic(false);
  }

  sendError(id: number, code: number, message: string): void {
    this.send(errorMessage(id, code, message));
  }

  /** Closes the socket at once (what a crash or a gateway restart looks like to the client). */
  close(): void {
    this.state = 'closed';
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.silent || this.state === 'closed') return;
    this.host.noteTraffic(true);
    for (const item of this.decoder.push(chunk)) {
      if (!this.open) return;
      if (item.type === 'fatal') {
        this.host.log(`closing a connection: ${item.reason}`);
        this.close();
      } else if (item.type === 'hello') this.hello(item.versions);
      else if (item.type === 'garbled') this.sendError(-1, 320, `Server error when reading an API client request: ${item.reason}`);
      else this.message(item.fields);
    }
  }

  private hello(versions: string): void {
    const { min, max } = this.host.versions;
    const version = negotiateVersion(versions, min, max);
    if (version === null) {
      this.host.log(`closing a connection: client offers '${versions}', this gateway speaks v${min}..${max}`);
      this.close();
      return;
    }
    this.version = version;
    this.host.log(`a client offers '${versions}': server version ${version}`);
    this.state = 'startApi';
    this.send([version, this.host.connectionTime()]);
  }

  private message(fields: string[]): void {
    let request: ClientRequest;
    try {
      request = decodeRequest(fields, this.version);
    } catch (e) {
      if (e instanceof RequestError) this.sendError(e.reqId, e.code, e.message);
      else this.sendError(-1, 321, `Server error when validating an API client request: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (this.state === 'startApi') {
      if (request.type !== 'startApi') {
        this.sendError(-1, 321, `Server error when validating an API client request: the API must be started (message 71) before message ${fields[0]}`);
        return;
      }
      this.start(request.clientId);
      return;
    }
    if (request.type === 'startApi') {
      this.sendError(-1, 321, 'Server error when validating an API client request: the API is already started on this connection');
      return;
    }
    try {
      this.host.handle(this, request);
    } catch (e) {
      // A bug in the gateway must not take the client down with it: report it as TWS reports its own trouble.
      const reqId = 'reqId' in request ? request.reqId : 'orderId' in request ? request.orderId : -1;
      this.host.log(`request ${request.type} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      this.sendError(reqId, 321, `Server error when validating an API client request: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private start(clientId: number): void {
    if (this.host.clientIdInUse(clientId, this)) {
      // TWS answers and hangs up; the client may retry later or with another id.
      this.sendError(-1, 326, `Unable to connect as the client id is already in use. Retry with a unique client id.`);
      this.socket.end();
      this.state = 'closed';
      return;
    }
    this.clientId = clientId;
    this.state = 'ready';
    this.host.started(this);
  }
}
