/**
 * Keep-alive HTTP/1.1 connections to one endpoint (`Connection`) and their per-cluster pool
 * (`EndpointPool`), on plain `net` sockets with the response parser of http1-response-parser.ts.
 * A connection carries one request at a time for its current user (a try, see upstream.ts) and
 * tells it what the parser saw. Classes on purpose: the hot path allocates no closures per request.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { ClusterConnections } from '../endpoints/cluster-connections.js';
import { ResponseParser, type ResponseParserEvents } from './http1-response-parser.js';

/** How a try ended before a response arrived. */
export type UpstreamFailure = 'connect-failure' | 'reset';

/** What a connection tells the request it carries (an `UpstreamTry`). */
export interface ConnectionUser {
  /** Close the connection once it has carried this many requests; 0 = no limit. */
  readonly maxRequestsPerConnection: number;
  /** Close the connection after this long idle once the request is done, ms; 0 = the default. */
  readonly idleTimeoutMs: number;
  /** Response headers. */
  receiveHead(status: number, headers: IncomingHttpHeaders): void;
  /** A body piece. */
  receiveBody(chunk: Buffer): void;
  /** One read from the socket has been parsed completely. */
  flush(): void;
  /** The response ended. */
  receiveEnd(): void;
  /** The request failed. */
  receiveFailure(kind: UpstreamFailure, err: Error): void;
  /** The server closed a reused connection before answering: try once more on a new one (false: no). */
  resend(): boolean;
}

/** Idle connections are closed after this long (or the server's Keep-Alive timeout minus 1 s). */
const IDLE_MS = 30_000;
/** Idle connections kept per endpoint. */
const MAX_IDLE = 256;
/** Where every upstream read lands; each read is parsed before the next one (one thread). */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** One keep-alive connection to an endpoint. */
export class Connection implements ResponseParserEvents {
  /** The TCP connection. */
  readonly socket: Socket;
  /** Parses the responses read from it. */
  readonly parser: ResponseParser;
  /** The try using it, if any. */
  current: ConnectionUser | null = null;
  /** Requests sent on it so far. */
  used = 0;
  /** Response bytes received for the current try. */
  gotBytes = false;
  /** The current request (head and body) has been written completely. */
  requestDone = false;
  /** When it last went back to the idle list (performance.now, ms). */
  idleSince = 0;
  /** How long it may stay idle, ms. */
  idleLimit = IDLE_MS;
  /** The idle limit the server allows (its Keep-Alive timeout minus 1 s, at most IDLE_MS). */
  private serverIdleLimit = IDLE_MS;
  private connected = false;
  private keepAlive = true;
  private error: Error | undefined;

  /** Opens a connection for `pool` (counted in its cluster's connections). */
  constructor(readonly pool: EndpointPool) {
    this.parser = new ResponseParser(this);
    // `onread`: reads land in one shared buffer and reach `read` directly, without the Readable
    // stream's push/'data' machinery (hot path). What outlives the read is copied (`onBody`, the parser's `pending`).
    const s = connect({ host: pool.host, port: pool.port, noDelay: true, onread: { buffer: READ_BUFFER, callback: (n: number) => this.read(n) } });
    this.socket = s;
    pool.cluster.opened();
    s.on('connect', () => void (this.connected = true));
    s.on('end', () => {
      if (this.current && this.gotBytes) this.parser.finish();
      s.destroy();
    });
    s.on('error', (err) => void (this.error = err));
    s.on('close', () => this.closed());
  }

  onHead(status: number, headers: IncomingHttpHeaders, keepAlive: boolean, keepAliveTimeoutS: number | undefined): void {
    this.keepAlive = keepAlive;
    // Close before the server does (its Keep-Alive timeout minus 1 s), so we never reuse a socket it is closing.
    if (keepAliveTimeoutS !== undefined) this.serverIdleLimit = Math.max(500, Math.min(IDLE_MS, keepAliveTimeoutS * 1000 - 1000));
    this.current?.receiveHead(status, headers);
  }

  /** `n` bytes were read into READ_BUFFER; true: keep reading (pausing is `socket.pause()`'s job). */
  private read(n: number): boolean {
    this.gotBytes = true;
    const t = this.current;
    if (t === null) {
      this.socket.destroy();
      return true;
    }
    this.parser.feed(READ_BUFFER.subarray(0, n));
    t.flush();
    return true;
  }

  onBody(chunk: Buffer): void {
    // A view of READ_BUFFER, overwritten by the next read: the sink gets its own copy.
    this.current?.receiveBody(Buffer.from(chunk));
  }

  onEnd(): void {
    const t = this.current;
    this.current = null;
    const spent = t !== null && t.maxRequestsPerConnection > 0 && this.used >= t.maxRequestsPerConnection;
    // The last try's idleTimeout (connectionPool.http.idleTimeout) can only shorten the server's limit.
    const idle = t === null ? 0 : t.idleTimeoutMs;
    this.idleLimit = idle > 0 && idle < this.serverIdleLimit ? idle : this.serverIdleLimit;
    // Reusable only if the whole request went out, both sides keep the connection and it has requests left.
    const reusable = this.keepAlive && !spent && this.requestDone && !this.socket.destroyed;
    // Back in the pool before the try's owner hears of the end: a request the owner dispatches
    // now (the next one the circuit breaker queued) reuses it, as Envoy's pool does, instead of
    // opening a second connection beside it under `maxConnections: 1`.
    if (reusable) this.pool.release(this);
    t?.receiveEnd();
    if (!reusable) this.socket.destroy();
  }

  onError(err: Error): void {
    const t = this.current;
    this.current = null;
    this.socket.destroy();
    t?.receiveFailure('reset', err);
  }

  private closed(): void {
    this.pool.forget(this);
    this.pool.cluster.closed();
    const t = this.current;
    if (!t) return;
    this.current = null;
    const err = this.error ?? new Error('upstream connection closed');
    if (!this.connected) t.receiveFailure('connect-failure', err);
    else if (!this.gotBytes && this.used > 1 && t.resend()) return;
    else t.receiveFailure('reset', err);
  }
}

/** Connections of one cluster to one endpoint. */
export class EndpointPool {
  /** Idle connections, the most recently used last (taken LIFO). */
  readonly idle: Connection[] = [];
  /** Every open connection. */
  readonly all = new Set<Connection>();

  /** A pool for `cluster`'s connections to `host:port`. */
  constructor(readonly host: string, readonly port: number, readonly cluster: ClusterConnections) {}

  /** An idle connection with requests left under `perConnection` (0 = no limit), else a new one. */
  acquire(fresh: boolean, perConnection: number): Connection {
    while (!fresh && this.idle.length) {
      const c = this.idle.pop()!;
      if (c.socket.destroyed) continue;
      // Spent under this try's limit (it carried requests under an earlier, looser connectionPool).
      if (perConnection > 0 && c.used >= perConnection) c.socket.destroy();
      else return c;
    }
    // No idle connection: the request waits for a new one, as an Envoy pool's pending stream does.
    this.cluster.waitedForConnection++;
    const c = new Connection(this);
    this.all.add(c);
    return c;
  }

  /** A connection finished its request and may be reused. */
  release(c: Connection): void {
    if (this.idle.length >= MAX_IDLE) return void c.socket.destroy();
    c.idleSince = performance.now();
    this.idle.push(c);
  }

  /** A connection closed. */
  forget(c: Connection): void {
    this.all.delete(c);
    const i = this.idle.indexOf(c);
    if (i >= 0) this.idle.splice(i, 1);
  }

  /** Closes connections idle longer than their limit. */
  sweep(now: number): void {
    for (const c of [...this.idle]) if (now - c.idleSince > c.idleLimit) c.socket.destroy();
  }
}
