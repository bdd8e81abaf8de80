/**
 * The raw-socket front end's request and response objects (see downstream.ts): the narrow
 * {@link ProxyRequest} / {@link ProxyResponse} the proxy uses, without `node:http`'s streams. A
 * response's head is built when its first bytes leave, so head and a body given to `end` leave in
 * one socket write; without a Content-Length, a body given whole to `end` gets one, one written in
 * pieces is chunked (HTTP/1.1) or ends with the connection (HTTP/1.0).
 */
import { type IncomingHttpHeaders, type OutgoingHttpHeaders, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ProxyRequest, ProxyResponse } from './proxy-io.js';

/** What a message tells its connection. */
export interface MessageOwner {
  /** The socket. */
  readonly socket: Socket;
  /** Re-evaluates whether the socket should be read (request backpressure). */
  updateReading(): void;
  /** The response was handed to the socket completely. */
  responseFinished(res: DownstreamResponse): void;
}

type Listener = (...args: any[]) => void;
interface Entry {
  event: string;
  fn: Listener;
  once: boolean;
}

/**
 * The few events these objects carry ('data', 'end', 'close', 'drain'), without EventEmitter's
 * per-object setup (~1.5% of the mesh's CPU for two objects per request). Listeners are called
 * with the object as `this`, in order; one added during an emit waits for the next.
 */
class Events {
  private entries: Entry[] | null = null;

  on(event: string, fn: Listener): this {
    (this.entries ??= []).push({ event, fn, once: false });
    return this;
  }

  once(event: string, fn: Listener): this {
    (this.entries ??= []).push({ event, fn, once: true });
    return this;
  }

  off(event: string, fn: Listener): this {
    const e = this.entries;
    if (e === null) return this;
    for (let i = e.length - 1; i >= 0; i--) {
      if (e[i]!.event === event && e[i]!.fn === fn) {
        e.splice(i, 1);
        break;
      }
    }
    return this;
  }

  removeListener(event: string, fn: Listener): this {
    return this.off(event, fn);
  }

  emit(event: string, arg?: unknown): boolean {
    const e = this.entries;
    if (e === null) return false;
    let hit = false;
    for (const x of e.length === 1 ? e : e.slice()) {
      if (x.event !== event) continue;
      hit = true;
      if (x.once) this.off(event, x.fn);
      x.fn.call(this, arg);
    }
    return hit;
  }
}

/** Body bytes queued beyond this pause the client. */
export const QUEUE_LIMIT = 64 * 1024;

/** A request read by the fast path. */
export class DownstreamRequest extends Events implements ProxyRequest {
  /** Body pieces not delivered yet (no listener yet, or paused). */
  private queue: Buffer[] = [];
  /** Bytes in `queue`. */
  queued = 0;
  private flowing = false;
  private paused = false;
  private ended = false;
  private endEmitted = false;
  /** The response is done: the rest of the body is read and dropped. */
  dumped = false;
  /** The client's connection. */
  readonly socket: Socket;

  constructor(
    private readonly owner: MessageOwner,
    readonly method: string,
    readonly url: string,
    readonly headers: IncomingHttpHeaders,
    /** "1.0" or "1.1". */
    readonly httpVersion: string,
  ) {
    super();
    this.socket = owner.socket;
  }

  override on(event: string, listener: Listener): this {
    super.on(event, listener);
    // Like a Readable, the body flows once someone listens to it (on the next tick, so that an
    // 'end' listener added right after the 'data' one hears the end).
    if (event === 'data' && !this.flowing) {
      this.flowing = true;
      process.nextTick(flushRequest, this);
    }
    return this;
  }

  /** A body piece from the parser (valid during the call only). */
  push(chunk: Buffer): void {
    if (this.dumped) return;
    if (this.flowing && !this.paused && this.queue.length === 0) return void this.emit('data', Buffer.from(chunk));
    this.queue.push(Buffer.from(chunk));
    this.queued += chunk.length;
    if (this.queued > QUEUE_LIMIT) this.owner.updateReading();
  }

  /** The body is complete. */
  finish(): void {
    this.ended = true;
    this.flush();
  }

  /** True when reading should stop until the body is consumed. */
  get blocked(): boolean {
    return !this.dumped && !this.ended && (this.paused || this.queued > QUEUE_LIMIT);
  }

  /** Drops what is queued and what is still to come. */
  dump(): void {
    this.dumped = true;
    this.queue = [];
    this.queued = 0;
  }

  pause(): this {
    this.paused = true;
    this.owner.updateReading();
    return this;
  }

  resume(): this {
    this.paused = false;
    this.flush();
    this.owner.updateReading();
    return this;
  }

  isPaused(): boolean {
    return this.paused;
  }

  /** Delivers queued pieces, then the end, while flowing. */
  flush(): void {
    if (!this.flowing || this.dumped) return;
    while (this.queue.length > 0 && !this.paused) {
      const c = this.queue.shift()!;
      this.queued -= c.length;
      this.emit('data', c);
    }
    if (this.ended && this.queue.length === 0 && !this.endEmitted && !this.paused) {
      this.endEmitted = true;
      this.emit('end');
    }
  }
}

function flushRequest(req: DownstreamRequest): void {
  req.flush();
}

// RFC 9110 tchar; a field value as Node checks it.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

let dateSecond = 0;
let dateText = '';
/** The Date header, formatted once per second. */
function httpDate(): string {
  const now = Date.now();
  const s = Math.floor(now / 1000);
  if (s !== dateSecond) {
    dateSecond = s;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

const enum Framing {
  Unknown,
  None,
  Length,
  Chunked,
  Close,
}

/** A response written by the fast path. */
export class DownstreamResponse extends Events implements ProxyResponse {
  headersSent = false;
  writableFinished = false;
  private status = 200;
  private headers: OutgoingHttpHeaders | undefined;
  /** Head not yet written (set by `writeHead`, sent with the first bytes). */
  private headPending = false;
  private framing = Framing.Unknown;
  private closed = false;
  /** Keep the connection after this response (from the request; cleared by a close-delimited body). */
  keepAlive: boolean;

  constructor(
    private readonly owner: MessageOwner,
    /** The request is HEAD: no body is sent. */
    private readonly head: boolean,
    /** The request's HTTP minor version. */
    private readonly minor: number,
    keepAlive: boolean,
  ) {
    super();
    this.keepAlive = keepAlive;
  }

  writeHead(status: number, headers: OutgoingHttpHeaders): this {
    if (this.headersSent) throw new Error('headers already sent');
    for (const k in headers) {
      if (!TOKEN.test(k)) throw new TypeError(`invalid header name ${JSON.stringify(k)}`);
      const v = headers[k];
      if (Array.isArray(v)) {
        for (const x of v) if (BAD_VALUE.test(x)) throw new TypeError(`invalid value of header ${k}`);
      } else if (typeof v === 'string' && BAD_VALUE.test(v)) throw new TypeError(`invalid value of header ${k}`);
    }
    this.status = status;
    this.headers = headers;
    this.headersSent = true;
    this.headPending = true;
    return this;
  }

  write(chunk: Buffer): boolean {
    if (this.writableFinished || this.closed) return false;
    // Like ServerResponse: a body without writeHead goes out under an implicit 200.
    if (!this.headersSent) this.writeHead(this.status, {});
    if (this.headPending) return this.send(this.buildHead(-1), chunk, false);
    return this.send('', chunk, false);
  }

  end(chunk?: Buffer | string): this {
    if (this.writableFinished || this.closed) return this;
    const body = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (!this.headersSent) this.writeHead(this.status, {});
    const head = this.headPending ? this.buildHead(body === undefined ? 0 : body.length) : '';
    this.writableFinished = true;
    this.send(head, body, true);
    this.owner.responseFinished(this);
    return this;
  }

  destroy(): this {
    this.owner.socket.destroy();
    return this;
  }

  /** Emits 'close' once (response finished or the client went away). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }

  /** The head, choosing the framing; `wholeLength` is the body's length when `end` gives it whole, else -1. */
  private buildHead(wholeLength: number): string {
    this.headPending = false;
    const status = this.status;
    const h = this.headers!;
    let s = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'unknown'}\r\n`;
    let length = false;
    let date = false;
    for (const k in h) {
      const v = h[k];
      if (v === undefined) continue;
      if (k.length === 14 && k.toLowerCase() === 'content-length') length = true;
      else if (k.length === 4 && k.toLowerCase() === 'date') date = true;
      if (Array.isArray(v)) for (const x of v) s += `${k}: ${x}\r\n`;
      else s += `${k}: ${v}\r\n`;
    }
    if (!date) s += `date: ${httpDate()}\r\n`;
    if (this.head || status === 204 || status === 304 || status < 200) this.framing = Framing.None;
    else if (length) this.framing = Framing.Length;
    else if (wholeLength >= 0) {
      this.framing = Framing.Length;
      s += `content-length: ${wholeLength}\r\n`;
    } else if (this.minor === 1) {
      this.framing = Framing.Chunked;
      s += 'transfer-encoding: chunked\r\n';
    } else {
      this.framing = Framing.Close;
      this.keepAlive = false;
    }
    if (!this.keepAlive) s += 'connection: close\r\n';
    else if (this.minor === 0) s += 'connection: keep-alive\r\n';
    return `${s}\r\n`;
  }

  /** Writes head and body piece (framed) in one socket write. */
  private send(head: string, chunk: Buffer | undefined, last: boolean): boolean {
    const socket = this.owner.socket;
    if (socket.destroyed) return false;
    let body = this.framing === Framing.None ? undefined : chunk;
    if (body !== undefined && body.length === 0) body = undefined;
    let prefix = head;
    let suffix = '';
    if (this.framing === Framing.Chunked) {
      if (body !== undefined) {
        prefix += `${body.length.toString(16)}\r\n`;
        suffix = last ? '\r\n0\r\n\r\n' : '\r\n';
      } else if (last) prefix += '0\r\n\r\n';
    }
    if (body === undefined) return prefix.length === 0 ? true : socket.write(prefix, 'latin1');
    if (prefix.length === 0 && suffix.length === 0) return socket.write(body);
    if (body.length <= 16 * 1024) {
      const out = Buffer.allocUnsafe(prefix.length + body.length + suffix.length);
      out.write(prefix, 0, 'latin1');
      body.copy(out, prefix.length);
      if (suffix.length) out.write(suffix, prefix.length + body.length, 'latin1');
      return socket.write(out);
    }
    socket.cork();
    if (prefix.length) socket.write(prefix, 'latin1');
    let ok = socket.write(body);
    if (suffix.length) ok = socket.write(suffix, 'latin1');
    socket.uncork();
    return ok;
  }
}
