/**
 * The proxy's downstream (client) side on plain `net` sockets — the fast path. `node:http`'s server
 * cost ~17 µs of CPU per request against ~8 µs for a plain `net` server (bench/proxy/README.md,
 * "Hot path"); this front end parses requests itself (http1-request-parser.ts) and writes each
 * response's head and body in one socket write (downstream-message.ts).
 *
 * Per connection one {@link DownstreamConnection}: requests are handled one at a time, in order
 * (pipelined requests wait in the buffer until the response before them is done); keep-alive per
 * HTTP/1.0 and 1.1 rules; a request refused by the parser gets Envoy's 400 or 431 and the connection
 * closes. What the fast path does not handle — CONNECT, Upgrade, Expect (100-continue) — goes, before
 * anything of that request was written, to a `node:http` server with the same handler
 * (`socket.unshift` + `'connection'`), and the connection stays there: nothing is lost.
 *
 * Timeouts without a timer per request: one sweep per second closes connections idle for 30 s
 * (Node's `keepAliveTimeout` as the mesh set it), answers 408 to a head incomplete for 31 s (its
 * `headersTimeout`) and to a request whose body is incomplete for 300 s (its `requestTimeout`).
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Server, type Socket } from 'node:net';
import { DownstreamRequest, DownstreamResponse, type MessageOwner, QUEUE_LIMIT } from './downstream-message.js';
import { type RequestHead, RequestParseError, RequestParser, type RequestParserEvents } from './http1-request-parser.js';
import type { ProxyRequest, ProxyResponse } from './proxy-io.js';

/** The handler both servers call. */
export type ProxyHandler = (req: ProxyRequest, res: ProxyResponse) => void;

/** Timeouts of {@link createDownstreamServer}, ms; the defaults are the `node:http` settings the mesh used. */
export interface DownstreamTimeouts {
  /** Close a connection idle this long between requests. @default 30000 (keepAliveTimeout) */
  idleTimeoutMs?: number;
  /** Answer 408 to a request head incomplete this long. @default 31000 (headersTimeout) */
  headersTimeoutMs?: number;
  /** Answer 408 to a request incomplete this long (before a response started). @default 300000 (requestTimeout) */
  requestTimeoutMs?: number;
}
const DEFAULT_TIMEOUTS: Required<DownstreamTimeouts> = { idleTimeoutMs: 30_000, headersTimeoutMs: 31_000, requestTimeoutMs: 300_000 };

/** One client connection on the fast path. */
export class DownstreamConnection implements MessageOwner, RequestParserEvents {
  private readonly parser = new RequestParser(this);
  /** Bytes received and not parsed yet. */
  private buf: Buffer | null = null;
  private req: DownstreamRequest | null = null;
  private res: DownstreamResponse | null = null;
  private handOffAt = false;
  private driving = false;
  private ending = false;
  private clientEnded = false;
  private readPaused = false;
  /** Last time something arrived or a response finished (ms). */
  lastActive: number;
  /** When the current request's first byte arrived (ms; 0 = no request in progress). */
  requestStart = 0;

  constructor(
    readonly socket: Socket,
    private readonly server: DownstreamServer,
  ) {
    this.lastActive = server.now;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onClientEnd());
    socket.on('error', () => {});
    socket.on('close', () => this.onClose());
    socket.on('drain', () => this.res?.emit('drain'));
  }

  /** True when no request is in progress (a closing server may cut it). */
  get idle(): boolean {
    return this.req === null && this.res === null && this.buf === null;
  }

  private onData(chunk: Buffer): void {
    this.lastActive = this.server.now;
    if (this.requestStart === 0) this.requestStart = this.lastActive;
    this.buf = this.buf === null ? chunk : Buffer.concat([this.buf, chunk]);
    this.drive();
  }

  /** Parses what is buffered while the connection may take a request. */
  private drive(): void {
    if (this.driving) return;
    this.driving = true;
    try {
      while (this.buf !== null && !this.ending && !this.socket.destroyed) {
        if (this.parser.done) {
          // The next request waits for the current response (in order).
          if (this.res !== null) break;
          this.parser.next();
          this.req = null;
          this.requestStart = this.server.now;
        }
        const buf = this.buf;
        let at: number;
        try {
          at = this.parser.feed(buf, 0);
        } catch (err) {
          if (err instanceof RequestParseError) return this.refuse(err.status);
          // A bug must cost this connection, never the whole mesh (the handler guards its own).
          this.socket.destroy();
          return;
        }
        if (this.handOffAt) return this.handOff(buf.subarray(at));
        this.buf = at >= buf.length ? null : buf.subarray(at);
        if (at === 0 && !this.parser.done) break;
      }
    } finally {
      this.driving = false;
    }
    this.updateReading();
    if (this.clientEnded && this.res === null && this.buf === null && !this.ending) this.end();
  }

  onRequest(head: RequestHead): void {
    if (head.handOff) {
      this.handOffAt = true;
      return;
    }
    const req = new DownstreamRequest(this, head.method, head.url, head.headers, head.minor === 1 ? '1.1' : '1.0');
    const res = new DownstreamResponse(this, head.method === 'HEAD', head.minor, head.keepAlive);
    this.req = req;
    this.res = res;
    this.server.handler(req, res);
  }

  onBody(chunk: Buffer): void {
    this.req?.push(chunk);
  }

  onEnd(): void {
    this.req?.finish();
    if (this.res === null) {
      // Answered before its body ended: the request is over now.
      this.req = null;
      this.requestStart = 0;
    }
  }

  responseFinished(res: DownstreamResponse): void {
    if (res !== this.res) return;
    this.res = null;
    this.lastActive = this.server.now;
    // A body nobody read is dropped, as Node's server does (the connection stays usable).
    this.req?.dump();
    if (this.parser.done) {
      this.req = null;
      this.requestStart = 0;
    }
    res.close();
    // A closing server lets the connection go after this response (as Node's server does).
    if (!res.keepAlive || !this.server.listening) return this.end();
    // A pipelined request waiting in the buffer starts after whoever ended this response is done
    // with it (e.g. an upstream try releasing its connection slot), not inside its call.
    if (this.buf !== null) process.nextTick(driveLater, this);
    else this.updateReading();
  }

  /** Resumes parsing (see `responseFinished`). */
  resumeParsing(): void {
    if (!this.driving) this.drive();
  }

  /** Pauses reading while the request's reader is behind or too much is buffered. */
  updateReading(): void {
    const block = (this.req !== null && this.req.blocked) || (this.buf !== null && this.buf.length > QUEUE_LIMIT && this.parser.done);
    if (block && !this.readPaused) {
      this.readPaused = true;
      this.socket.pause();
    } else if (!block && this.readPaused) {
      this.readPaused = false;
      this.socket.resume();
      if (!this.driving && this.buf !== null) this.drive();
    }
  }

  /** Answers Envoy's local reply for a refused request and closes. */
  private refuse(status: 400 | 431 | 408): void {
    this.buf = null;
    if (this.res !== null) {
      // Part of the response may be out already: cut it.
      this.socket.destroy();
      return;
    }
    const text = status === 400 ? 'Bad Request' : status === 408 ? 'Request Timeout' : 'Request Header Fields Too Large';
    this.socket.write(`HTTP/1.1 ${status} ${text}\r\ncontent-length: ${text.length}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${text}`, 'latin1');
    this.end();
  }

  private end(): void {
    this.ending = true;
    this.buf = null;
    this.socket.end();
  }

  /** Gives the connection to `node:http`, starting with the request at the head of `rest`. */
  private handOff(rest: Buffer): void {
    this.server.fast.delete(this);
    this.server.handedOff.set(this.socket, 0);
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('end');
    this.socket.removeAllListeners('drain');
    this.socket.removeAllListeners('close');
    this.socket.on('close', () => this.server.handedOff.delete(this.socket));
    this.buf = null;
    this.socket.pause();
    this.socket.unshift(rest);
    this.server.fallback.emit('connection', this.socket);
    this.socket.resume();
  }

  private onClientEnd(): void {
    this.clientEnded = true;
    // As Node's server (httpAllowHalfOpen false) and Envoy: a client that closes its side while a
    // request is in progress is gone (DC); otherwise the connection closes.
    if (this.res !== null) this.socket.destroy();
    else this.end();
  }

  private onClose(): void {
    this.server.fast.delete(this);
    this.buf = null;
    const res = this.res;
    this.res = null;
    // The proxy sees a response that did not finish: client disconnect (DC).
    if (res !== null) res.close();
    this.req?.dump();
  }

  /** The per-second sweep: Node's idle, headers and request timeouts. */
  sweep(now: number, t: Required<DownstreamTimeouts>): void {
    if (this.ending) return;
    if (this.idle) {
      if (now - this.lastActive >= t.idleTimeoutMs) this.socket.destroy();
      return;
    }
    if (this.requestStart === 0 || this.res !== null) return;
    if (this.req === null && this.parser.atHead && now - this.requestStart >= t.headersTimeoutMs) this.refuse(408);
    else if (now - this.requestStart >= t.requestTimeoutMs) this.refuse(408);
  }
}

function driveLater(c: DownstreamConnection): void {
  c.resumeParsing();
}

/** A `net.Server` serving HTTP/1.1 on the fast path, `node:http` as its fallback. */
export class DownstreamServer extends Server {
  /** Connections on the fast path. */
  readonly fast = new Set<DownstreamConnection>();
  /** Connections handed to `node:http`. */
  /** Connections handed to `node:http`, with their requests in progress (it tracks none: it never listens). */
  readonly handedOff = new Map<Socket, number>();
  /** The `node:http` server taking what the fast path does not handle (never listens itself). */
  readonly fallback;
  /** Coarse clock (ms) for timeouts, updated by the sweep. */
  now = Date.now();
  private readonly sweeper: NodeJS.Timeout;

  /** A server calling `handler` for every request. */
  constructor(readonly handler: ProxyHandler, timeouts: DownstreamTimeouts = {}) {
    super({ allowHalfOpen: true, noDelay: true });
    const t = { ...DEFAULT_TIMEOUTS, ...timeouts };
    this.fallback = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
      const s = req.socket;
      this.handedOff.set(s, (this.handedOff.get(s) ?? 0) + 1);
      res.on('close', () => {
        if (this.handedOff.has(s)) this.handedOff.set(s, this.handedOff.get(s)! - 1);
      });
      handler(req, res);
    });
    this.fallback.keepAliveTimeout = t.idleTimeoutMs;
    this.fallback.headersTimeout = t.headersTimeoutMs;
    this.fallback.requestTimeout = t.requestTimeoutMs;
    this.on('connection', (socket: Socket) => this.fast.add(new DownstreamConnection(socket, this)));
    this.sweeper = setInterval(() => {
      this.now = Date.now();
      for (const c of this.fast) c.sweep(this.now, t);
    }, 1000);
    this.sweeper.unref();
    this.on('close', () => clearInterval(this.sweeper));
  }

  /** Closes connections without a request in progress (as `http.Server.closeIdleConnections`). */
  closeIdleConnections(): void {
    for (const c of this.fast) if (c.idle) c.socket.destroy();
    for (const [s, busy] of this.handedOff) if (busy === 0) s.destroy();
  }

  /** Closes every connection. */
  closeAllConnections(): void {
    for (const c of this.fast) c.socket.destroy();
    for (const s of this.handedOff.keys()) s.destroy();
  }
}

/** Creates the proxy's downstream server. */
export function createDownstreamServer(handler: ProxyHandler, timeouts?: DownstreamTimeouts): DownstreamServer {
  return new DownstreamServer(handler, timeouts);
}
