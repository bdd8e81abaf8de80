/**
 * An incremental HTTP/1.1 response parser for the proxy's upstream connections (RFC 9112 framing):
 * status line and headers, then the body by `content-length`, `transfer-encoding: chunked`, or
 * until the connection closes; no body for HEAD, 1xx, 204 and 304. Interim 1xx responses are
 * skipped. It sees only responses to requests the proxy itself sent, one at a time per connection.
 *
 * Why not undici: on one pinned CPU, undici's client side cost more than Node's whole HTTP server
 * side per proxied request; a plain-socket client with this parser cut the mesh's cost per request
 * from ~80 to ~50 µs (see upstream.ts). A class because one instance lives per connection.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ChunkedBodyDecoder, ChunkedBodyError } from './chunked-body.js';
import { lowerHeaderName as lower } from './header-name.js';

/** What the parser reports. */
export interface ResponseParserEvents {
  /**
   * The final (non-1xx) status line and headers — without the hop-by-hop ones (connection,
   * keep-alive, transfer-encoding, ...), which frame this connection only. `keepAlive`: the
   * connection may be reused after the body; `keepAliveTimeoutS`: the server's Keep-Alive timeout hint.
   */
  onHead(status: number, headers: IncomingHttpHeaders, keepAlive: boolean, keepAliveTimeoutS: number | undefined): void;
  /** A piece of the decoded body. */
  onBody(chunk: Buffer): void;
  /** The response is complete. */
  onEnd(): void;
  /** The response is malformed (the connection must be closed). */
  onError(err: Error): void;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const MAX_HEAD = 64 * 1024;
const enum State {
  Idle,
  Head,
  Fixed,
  Chunked,
  UntilClose,
  Done,
}

/** Parses one response at a time; call {@link ResponseParser.expect} before each. */
export class ResponseParser {
  private state = State.Idle;
  private pending: Buffer | null = null;
  private remaining = 0;
  private noBody = false;
  // Lenient, as a client should be with its upstream: whitespace around the size, any trailer line.
  private readonly chunked = new ChunkedBodyDecoder({ maxLine: 4096 });
  private readonly onBody: (chunk: Buffer) => void;

  constructor(private readonly ev: ResponseParserEvents) {
    this.onBody = (chunk) => ev.onBody(chunk);
  }

  /** Prepares for the response to a request with `method` (HEAD responses have no body). */
  expect(method: string): void {
    this.state = State.Head;
    this.pending = null;
    this.remaining = 0;
    this.noBody = method === 'HEAD';
  }

  /** True once the current response is complete. */
  get done(): boolean {
    return this.state === State.Done;
  }

  /** True while the body is read until the connection closes. */
  get untilClose(): boolean {
    return this.state === State.UntilClose;
  }

  /**
   * Feeds bytes read from the connection. Bytes after a complete response are a protocol error.
   * `data` may be overwritten after the call: what is kept for the next one is copied.
   */
  feed(data: Buffer): void {
    const buf = this.pending ? Buffer.concat([this.pending, data]) : data;
    this.pending = null;
    let at = 0;
    while (at < buf.length) {
      switch (this.state) {
        case State.Head: {
          const end = buf.indexOf(CRLFCRLF, at);
          if (end < 0) {
            if (buf.length - at > MAX_HEAD) return void this.fail('response head larger than 64 KiB');
            this.pending = Buffer.from(buf.subarray(at));
            return;
          }
          const ok = this.head(buf.toString('latin1', at, end));
          at = end + 4;
          if (!ok) return;
          break;
        }
        case State.Fixed: {
          const n = Math.min(this.remaining, buf.length - at);
          this.remaining -= n;
          const piece = at === 0 && n === buf.length ? buf : buf.subarray(at, at + n);
          at += n;
          this.ev.onBody(piece);
          if (this.remaining === 0) this.complete();
          break;
        }
        case State.Chunked: {
          try {
            at = this.chunked.feed(buf, at, this.onBody);
          } catch (err) {
            if (err instanceof ChunkedBodyError) return void this.fail(err.message);
            throw err;
          }
          if (this.chunked.done) this.complete();
          else if (at < buf.length) {
            // A chunk line not yet complete: kept (copied: `data` may be reused) for the next read.
            this.pending = Buffer.from(buf.subarray(at));
            return;
          }
          break;
        }
        case State.UntilClose:
          this.ev.onBody(at === 0 ? buf : buf.subarray(at));
          return;
        default:
          return void this.fail('unexpected bytes after the response');
      }
    }
  }

  /** The connection closed: completes a read-until-close body, otherwise the response was cut. */
  finish(): void {
    if (this.state === State.UntilClose) this.complete();
    else if (this.state !== State.Done && this.state !== State.Idle) this.fail('connection closed before the response was complete');
  }

  private head(text: string): boolean {
    // Status line "HTTP/1.x SSS reason", read by position (hot path: no regex, no split).
    if (!text.startsWith('HTTP/1.') || text.length < 12 || text.charCodeAt(8) !== 32) return this.fail(`bad status line ${JSON.stringify(text.slice(0, 80))}`);
    const minor = text.charCodeAt(7) - 48;
    const status = (text.charCodeAt(9) - 48) * 100 + (text.charCodeAt(10) - 48) * 10 + (text.charCodeAt(11) - 48);
    const after = text.charCodeAt(12);
    if ((minor !== 0 && minor !== 1) || !(status >= 100 && status <= 999) || !(Number.isNaN(after) || after === 32 || after === 13)) {
      return this.fail(`bad status line ${JSON.stringify(text.slice(0, 80))}`);
    }
    const headers: IncomingHttpHeaders = {};
    let connection = '';
    let transferEncoding: string | undefined;
    let keepAliveHint: number | undefined;
    const eol = text.indexOf('\r\n');
    let pos = eol < 0 ? text.length : eol + 2;
    while (pos < text.length) {
      let next = text.indexOf('\r\n', pos);
      if (next < 0) next = text.length;
      const colon = text.indexOf(':', pos);
      if (colon < 0 || colon > next) return this.fail('bad header line');
      const name = lower(text.slice(pos, colon));
      let v0 = colon + 1;
      while (v0 < next && (text.charCodeAt(v0) === 32 || text.charCodeAt(v0) === 9)) v0++;
      let v1 = next;
      while (v1 > v0 && (text.charCodeAt(v1 - 1) === 32 || text.charCodeAt(v1 - 1) === 9)) v1--;
      const value = text.slice(v0, v1);
      pos = next + 2;
      switch (name) {
        // Hop-by-hop headers frame this connection: used here, never forwarded.
        case 'connection':
          connection = value.toLowerCase();
          continue;
        case 'transfer-encoding':
          transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
          continue;
        case 'keep-alive': {
          const m = /timeout=(\d+)/.exec(value);
          if (m) keepAliveHint = Number(m[1]);
          continue;
        }
        case 'proxy-connection':
        case 'te':
        case 'trailer':
        case 'upgrade':
          continue;
      }
      const prev = headers[name];
      if (prev === undefined) headers[name] = name === 'set-cookie' ? [value] : value;
      else if (Array.isArray(prev)) prev.push(value);
      else headers[name] = `${prev}, ${value}`;
    }
    if (status < 200) {
      if (status === 101) return this.fail('protocol upgrades are not supported');
      // Interim response (100 Continue, 103 Early Hints): the real one follows.
      return true;
    }
    let keepAlive = minor === 0 ? connection.includes('keep-alive') : !connection.includes('close');
    if (this.noBody || status === 204 || status === 304) {
      this.ev.onHead(status, headers, keepAlive, keepAliveHint);
      this.complete();
      return true;
    }
    if (transferEncoding !== undefined && /(?:^|,)\s*chunked\s*$/i.test(transferEncoding)) {
      this.chunked.reset();
      this.state = State.Chunked;
    } else if (headers['content-length'] !== undefined) {
      const cl = headers['content-length'];
      const n = typeof cl === 'string' && /^\d+$/.test(cl) ? Number(cl) : Number.NaN;
      if (!Number.isSafeInteger(n)) return this.fail(`bad content-length ${JSON.stringify(cl)}`);
      this.remaining = n;
      this.state = State.Fixed;
    } else {
      keepAlive = false;
      this.state = State.UntilClose;
    }
    this.ev.onHead(status, headers, keepAlive, keepAliveHint);
    if (this.state === State.Fixed && this.remaining === 0) this.complete();
    return true;
  }

  private complete(): void {
    this.state = State.Done;
    this.ev.onEnd();
  }

  private fail(message: string): false {
    this.state = State.Done;
    this.pending = null;
    this.ev.onError(new Error(message));
    return false;
  }
}
