/**
 * One HTTP/1.1 try to an endpoint over a pool of keep-alive TCP connections, written directly on
 * `net` sockets with a small response parser (http1-response-parser.ts). Chosen by measurement
 * (proxy pinned to one CPU, Go backends and wrk on the other, 64 connections, GET): Node's HTTP
 * server alone costs ~26 µs per request; with undici's `dispatch` as the upstream client the mesh
 * cost ~80 µs per proxied request (~12k req/s; `node:http`'s Agent and undici `request` were
 * slower still), with plain sockets ~50 µs (~19k req/s).
 * Outcomes are classified the way Envoy's retry logic needs: a response, a connection failure
 * (nothing listening) or a reset (the connection died before response headers). A request sent on
 * a reused idle connection that the server closed meanwhile is re-sent once on a new connection
 * (the race every keep-alive client must handle); it does not count as a retry.
 * Connections are pooled per cluster and endpoint, as Envoy pools them: two clusters over the same
 * endpoint never share one, and each cluster's `ClusterConnections` counts its own.
 *
 * `UpstreamTry` and `Connection` are classes on purpose: per request the hot path allocates one try
 * object, no closures (GC was ~11% of CPU with a closure-based version).
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { Writable } from 'node:stream';
import type { ClusterConnections } from '../endpoints/cluster-connections.js';
import type { Endpoint } from '../endpoints/endpoint.js';
import type { BodySink } from './proxy-io.js';
import type { RequestBody } from './request-body.js';
import { type Connection, type ConnectionUser, EndpointPool, type UpstreamFailure } from './upstream-connection.js';

/** How a try ended before a response arrived (re-exported for the try's owners). */
export type { UpstreamFailure } from './upstream-connection.js';

/** Receives the outcome of tries it started. */
export interface TryOwner {
  /** The try exists and is about to be sent (callbacks may follow synchronously). */
  onTryStart(t: UpstreamTry): void;
  /**
   * Response headers arrived (hop-by-hop ones removed; the object may be modified). Return where to
   * stream the body (e.g. the client's response, its head already written), or undefined to drain it.
   */
  onTryResponse(t: UpstreamTry, status: number, headers: IncomingHttpHeaders): BodySink | undefined;
  /** The response body ended (`complete`) or was cut short; called once after `onTryResponse`. */
  onTryDone(t: UpstreamTry, complete: boolean): void;
  /** The try failed before response headers. */
  onTryFailure(t: UpstreamTry, kind: UpstreamFailure, err: Error): void;
}

/** Sends requests to endpoints. */
export interface UpstreamClient {
  /**
   * Starts one try on a connection of `cluster`'s pool for `endpoint`. `path` includes the query
   * string; `primary` tries pace the client's body upload. The endpoint's `active` count covers the
   * try until it finishes or is aborted.
   */
  send(endpoint: Endpoint, cluster: ClusterConnections, method: string, path: string, headers: OutgoingHttpHeaders, body: RequestBody, primary: boolean, owner: TryOwner): UpstreamTry;
  /** Closes every connection. */
  close(): Promise<void>;
}

/** One try in flight. */
export class UpstreamTry implements ConnectionUser {
  /** Monotonic start time, ms (set by the owner's clock). */
  startedAt = 0;
  /** Response status (0 until headers arrive). */
  status = 0;
  /** True once `onTryResponse` handed the body to a sink. */
  streaming = false;
  /** The owner holds a cluster connection slot (circuit breaking) for this try. */
  holdsSlot = false;
  /** Close the connection once it has carried this many requests (`maxRequestsPerConnection`); 0 = no limit. */
  maxRequestsPerConnection = 0;
  /** Close the connection after this long idle once this try is done (`idleTimeout`, ms); 0 = the client's default. */
  idleTimeoutMs = 0;
  private conn: Connection | null = null;
  private sink: BodySink | undefined;
  private started = false;
  private finished = false;
  private resent = false;
  private writer: Writable | null = null;
  private onDrain: (() => void) | undefined;
  /** The last body piece of the current read, held so that a response read whole ends with `sink.end(piece)`. */
  private held: Buffer | null = null;

  constructor(
    /** Endpoint tried. */
    readonly endpoint: Endpoint,
    private readonly pool: EndpointPool,
    private readonly owner: TryOwner,
    private readonly method: string,
    private readonly path: string,
    private readonly headers: OutgoingHttpHeaders,
    private readonly body: RequestBody,
    private readonly primary: boolean,
  ) {
    endpoint.active++;
  }

  /** Sends the request on a pooled (or, for a re-send, a fresh) connection. */
  send(fresh = false): void {
    const c = this.pool.acquire(fresh, this.maxRequestsPerConnection);
    this.conn = c;
    c.current = this;
    c.used++;
    c.gotBytes = false;
    c.requestDone = false;
    c.parser.expect(this.method);
    const chunked = this.body.hasBody && this.headers['content-length'] === undefined;
    let head = `${this.method} ${this.path} HTTP/1.1\r\n`;
    const h = this.headers;
    for (const k in h) {
      const v = h[k];
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const x of v) head += `${k}: ${x}\r\n`;
      else head += `${k}: ${v}\r\n`;
    }
    head += chunked ? 'transfer-encoding: chunked\r\n\r\n' : '\r\n';
    c.socket.write(head, 'latin1');
    if (!this.body.hasBody) {
      c.requestDone = true;
      return;
    }
    this.writer = bodyWriter(c, chunked);
    this.body.sendTo(this.writer, this.primary);
  }

  /** The server closed a reused connection before answering: send once more on a new one. */
  resend(): boolean {
    if (this.resent || this.finished || !this.body.replayable) return false;
    this.resent = true;
    if (this.writer) this.body.detach(this.writer);
    this.send(true);
    return true;
  }

  /** Abandons the try (timeouts, client gone); the owner hears nothing more. */
  abort(): void {
    if (!this.finish()) return;
    const c = this.conn;
    if (c && c.current === this) {
      c.current = null;
      c.socket.destroy();
    }
  }

  /** Response headers (from the connection). */
  receiveHead(status: number, headers: IncomingHttpHeaders): void {
    if (this.finished) return;
    this.started = true;
    this.status = status;
    this.sink = this.owner.onTryResponse(this, status, headers);
    this.streaming = this.sink !== undefined;
  }

  /**
   * A body chunk (from the connection). The newest piece is held until the read is parsed (`flush`)
   * or the response ends: a small response read in one piece then leaves as one `res.end(body)`,
   * which spares Node's HTTP server a write, a cork and a nextTick per request (hot path).
   */
  receiveBody(chunk: Buffer): void {
    if (!this.sink || this.finished) return;
    const prev = this.held;
    this.held = chunk;
    if (prev !== null) this.forward(prev);
  }

  /** The connection parsed a whole read: forwards the held body piece, if any. */
  flush(): void {
    const chunk = this.held;
    if (chunk === null) return;
    this.held = null;
    if (!this.finished) this.forward(chunk);
  }

  /** Writes a body piece to the sink; pauses the socket while the sink is full. */
  private forward(chunk: Buffer): void {
    const sink = this.sink!;
    if (!sink.write(chunk) && !this.onDrain) {
      const socket = this.conn!.socket;
      socket.pause();
      this.onDrain = () => {
        this.onDrain = undefined;
        socket.resume();
      };
      sink.once('drain', this.onDrain);
    }
  }

  /** The response ended (from the connection). */
  receiveEnd(): void {
    const last = this.held;
    if (!this.finish()) return;
    if (last !== null) this.sink?.end(last);
    else this.sink?.end();
    this.owner.onTryDone(this, true);
  }

  /** The try failed (from the connection). */
  receiveFailure(kind: UpstreamFailure, err: Error): void {
    if (!this.finish()) return;
    if (this.started) {
      this.sink?.destroy();
      this.owner.onTryDone(this, false);
    } else this.owner.onTryFailure(this, kind, err);
  }

  /** Marks the try finished once; releases the endpoint and the body. False if it already was. */
  private finish(): boolean {
    if (this.finished) return false;
    this.finished = true;
    this.held = null;
    this.endpoint.active--;
    if (this.writer) this.body.detach(this.writer);
    if (this.onDrain) {
      // The connection may be reused: it must not stay paused for a sink that is done with it.
      this.sink?.off('drain', this.onDrain);
      this.onDrain = undefined;
      this.conn?.socket.resume();
    }
    return true;
  }
}

/** A Writable putting the request body on the connection (chunk-framed when the length is unknown). */
function bodyWriter(c: Connection, chunked: boolean): Writable {
  const socket = c.socket;
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (socket.destroyed) return cb();
      if (chunked) {
        if (chunk.length === 0) return cb();
        socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
        socket.write(chunk);
        socket.write('\r\n', 'latin1', () => cb());
      } else socket.write(chunk, () => cb());
    },
    final(cb) {
      if (chunked && !socket.destroyed) socket.write('0\r\n\r\n', 'latin1');
      c.requestDone = true;
      cb();
    },
  });
}

/** Creates the client; pools are created per cluster and endpoint on first use. */
export function createUpstreamClient(): UpstreamClient {
  const pools = new Map<ClusterConnections, Map<number, EndpointPool>>();
  const sweeper = setInterval(() => {
    const now = performance.now();
    for (const [cluster, byPort] of pools) {
      for (const [port, p] of byPort) {
        p.sweep(now);
        // Pools of endpoints (and clusters) gone or unused go too; a later try makes a new one.
        if (p.all.size === 0) byPort.delete(port);
      }
      if (byPort.size === 0) pools.delete(cluster);
    }
  }, 1000);
  sweeper.unref();
  return {
    send(ep, cluster, method, path, headers, body, primary, owner) {
      let byPort = pools.get(cluster);
      if (!byPort) pools.set(cluster, (byPort = new Map()));
      let pool = byPort.get(ep.port);
      if (!pool) byPort.set(ep.port, (pool = new EndpointPool(ep.host, ep.port, cluster)));
      const t = new UpstreamTry(ep, pool, owner, method, path, headers, body, primary);
      owner.onTryStart(t);
      t.send();
      return t;
    },
    async close() {
      clearInterval(sweeper);
      for (const byPort of pools.values()) for (const p of byPort.values()) for (const c of p.all) c.socket.destroy();
      pools.clear();
    },
  };
}
