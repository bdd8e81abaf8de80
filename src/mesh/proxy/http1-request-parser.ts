/**
 * An incremental HTTP/1.1 request parser for the proxy's raw-socket downstream (downstream.ts):
 * request line and headers, then the body by `content-length` or `transfer-encoding: chunked`.
 * It parses one request at a time and stops after it (`feed` returns where), so pipelined requests
 * are answered in order. What it accepts and how it builds `headers` follow Node's `node:http`
 * server (llhttp, strict mode, and `IncomingMessage`'s duplicate rules, which the route matchers
 * see), checked by a fuzz test against llhttp; its limits and refusals are Envoy's: a head over
 * 60 KiB or over 100 headers is refused with 431, anything malformed (bad request line, bad header
 * character, a bad or duplicate Content-Length, Content-Length with Transfer-Encoding, a
 * Transfer-Encoding not ending in chunked, an HTTP/1.1 request without Host) with 400.
 *
 * Requests the fast path leaves to `node:http` (CONNECT, Upgrade, Expect, HTTP/0.9 and HTTP/2.0
 * request lines) are reported with
 * `handOff` set; the parser then consumes nothing of them.
 */
import { METHODS, type IncomingHttpHeaders } from 'node:http';
import { ChunkedBodyDecoder, ChunkedBodyError } from './chunked-body.js';
import { lowerHeaderName as lower } from './header-name.js';

/** Envoy's default `max_request_headers_kb` (60 KiB). */
export const MAX_HEAD_BYTES = 60 * 1024;
/** Envoy's default `max_headers_count`. */
export const MAX_HEADERS = 100;

/** A parsed request head. */
export interface RequestHead {
  /** Method, as sent (a known method: llhttp refuses others). */
  method: string;
  /** Request target, as sent. */
  url: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  minor: number;
  /** Headers with lowercase names, duplicates combined as `IncomingMessage.headers` combines them. */
  headers: IncomingHttpHeaders;
  /** The connection may carry another request after this one. */
  keepAlive: boolean;
  /** Node's server must take this request (CONNECT, Upgrade, Expect): nothing of it was consumed. */
  handOff: boolean;
}

/** What the parser reports. */
export interface RequestParserEvents {
  /** A request head (not called for a hand-off). */
  onRequest(head: RequestHead): void;
  /** A piece of the decoded body (valid during the call only: copy what outlives it). */
  onBody(chunk: Buffer): void;
  /** The request (head and body) is complete. */
  onEnd(): void;
}

/** A request the parser refuses: the connection answers `status` and closes. */
export class RequestParseError extends Error {
  /** `status`: 400 or 431. */
  constructor(readonly status: 400 | 431, message: string) {
    super(message);
  }
}

const enum State {
  Head,
  Fixed,
  Chunked,
  Done,
}

const KNOWN_METHODS = new Set(METHODS);
// RFC 9110 tchar.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// A field value as llhttp accepts it: HTAB, visible ASCII, SP, obs-text.
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
// A request target as llhttp accepts it (strict): visible ASCII only.
const BAD_URL = /[^\x21-\x7e]/;
const ABSOLUTE = /^[A-Za-z]+:\/\//;
// Headers of which Node keeps the first value only (IncomingMessage's matchKnownFields).
const FIRST_ONLY = new Set(['content-type', 'content-length', 'user-agent', 'referer', 'host', 'authorization', 'proxy-authorization', 'if-modified-since', 'if-unmodified-since', 'from', 'location', 'max-forwards', 'retry-after', 'etag', 'last-modified', 'server', 'age', 'expires']);

/** True when `buf` from `at` holds a CR not followed by LF or an LF not preceded by CR. */
function bareLineEnd(buf: Buffer, at: number): boolean {
  for (let i = at; i < buf.length; i++) {
    const c = buf[i];
    if (c === 10 && buf[i - 1] !== 13) return true;
    if (c === 13 && i + 1 < buf.length && buf[i + 1] !== 10) return true;
  }
  return false;
}

/** True when a comma-separated header value lists `token` (case-insensitive). */
function hasToken(value: string, token: string): boolean {
  for (const part of value.split(',')) if (part.trim().toLowerCase() === token) return true;
  return false;
}

/** Parses the requests of one connection, one at a time; {@link RequestParser.next} before each. */
export class RequestParser {
  private state = State.Head;
  private remaining = 0;
  // llhttp's strict mode: no whitespace around the chunk size, trailers must be fields.
  private readonly chunked = new ChunkedBodyDecoder({ maxLine: 8192, strict: true });
  private readonly onBody: (chunk: Buffer) => void;

  constructor(private readonly ev: RequestParserEvents) {
    this.onBody = (chunk) => ev.onBody(chunk);
  }

  /** True once the current request is complete (call `next` for the following one). */
  get done(): boolean {
    return this.state === State.Done;
  }

  /** True while no byte of the current request has been consumed. */
  get atHead(): boolean {
    return this.state === State.Head;
  }

  /** Prepares for the next request on the connection. */
  next(): void {
    this.state = State.Head;
    this.remaining = 0;
  }

  /**
   * Parses `buf` from `at`; returns the offset where it stopped: the end of the buffer, the end of
   * the current request (once `done`), the start of an incomplete head or chunk line (to be fed
   * again with more bytes), or the start of a head handed off. Throws {@link RequestParseError}.
   */
  feed(buf: Buffer, at: number): number {
    while (at < buf.length) {
      switch (this.state) {
        case State.Head: {
          // Empty lines (CRLF or LF) before a request line are ignored (RFC 9112 2.2), as llhttp does.
          while (at < buf.length && (buf[at] === 10 || (buf[at] === 13 && buf[at + 1] === 10))) at += buf[at] === 10 ? 1 : 2;
          if (at === buf.length) return at;
          const end = buf.indexOf('\r\n\r\n', at, 'latin1');
          if (end < 0) {
            if (buf.length - at > MAX_HEAD_BYTES) throw new RequestParseError(431, 'request headers too large');
            // A bare CR or LF can never become a valid head: refuse now, as llhttp does.
            if (bareLineEnd(buf, at)) throw new RequestParseError(400, 'bare CR or LF in the request head');
            return at;
          }
          if (end - at > MAX_HEAD_BYTES) throw new RequestParseError(431, 'request headers too large');
          const head = this.head(buf.toString('latin1', at, end));
          if (head.handOff) {
            this.ev.onRequest(head);
            return at;
          }
          at = end + 4;
          this.ev.onRequest(head);
          if ((this.state as State) === State.Done) {
            this.ev.onEnd();
            return at;
          }
          break;
        }
        case State.Fixed: {
          const n = Math.min(this.remaining, buf.length - at);
          this.remaining -= n;
          this.ev.onBody(at === 0 && n === buf.length ? buf : buf.subarray(at, at + n));
          at += n;
          if (this.remaining === 0) {
            this.state = State.Done;
            this.ev.onEnd();
            return at;
          }
          break;
        }
        case State.Chunked: {
          try {
            at = this.chunked.feed(buf, at, this.onBody);
          } catch (err) {
            throw err instanceof ChunkedBodyError ? new RequestParseError(400, err.message) : err;
          }
          if (this.chunked.done) {
            this.state = State.Done;
            this.ev.onEnd();
          }
          // The body's end, the buffer's end, or a chunk line still incomplete: stop here either way.
          return at;
        }
        case State.Done:
          return at;
      }
    }
    return at;
  }

  private head(text: string): RequestHead {
    let eol = text.indexOf('\r\n');
    if (eol < 0) eol = text.length;
    const line = text.slice(0, eol);
    // "METHOD SP+ target SP+ version": llhttp takes several spaces between the parts.
    const sp1 = line.indexOf(' ');
    let u0 = sp1 + 1;
    while (line.charCodeAt(u0) === 32) u0++;
    const sp2 = line.indexOf(' ', u0);
    if (sp1 <= 0 || sp2 < 0) throw new RequestParseError(400, 'bad request line');
    let v0 = sp2 + 1;
    while (line.charCodeAt(v0) === 32) v0++;
    const method = line.slice(0, sp1);
    const url = line.slice(u0, sp2);
    const version = line.slice(v0);
    if (!KNOWN_METHODS.has(method)) throw new RequestParseError(400, 'unknown method');
    const first = url.charCodeAt(0);
    // origin-form ("/..."), asterisk-form, or absolute-form with a letters-only scheme, as llhttp
    // takes them (authority-form is CONNECT's, which node:http serves).
    if (url.length === 0 || BAD_URL.test(url) || (first !== 47 && first !== 42 && method !== 'CONNECT' && !ABSOLUTE.test(url))) throw new RequestParseError(400, 'bad request target');
    // llhttp also takes HTTP/0.9 and HTTP/2.0 request lines: those go to node:http, as before.
    const odd = version === 'HTTP/0.9' || version === 'HTTP/2.0';
    if (version !== 'HTTP/1.1' && version !== 'HTTP/1.0' && !odd) throw new RequestParseError(400, 'unsupported HTTP version');
    const minor = version === 'HTTP/1.1' ? 1 : 0;
    const headers: IncomingHttpHeaders = {};
    let count = 0;
    let connection: string | undefined;
    let te: string | undefined;
    let cl: string | undefined;
    let upgrade = false;
    let expect = false;
    let pos = eol + 2;
    while (pos < text.length) {
      let next = text.indexOf('\r\n', pos);
      if (next < 0) next = text.length;
      if (++count > MAX_HEADERS) throw new RequestParseError(431, 'too many request headers');
      const colon = text.indexOf(':', pos);
      if (colon < 0 || colon > next) throw new RequestParseError(400, 'bad header line');
      const raw = text.slice(pos, colon);
      if (!TOKEN.test(raw)) throw new RequestParseError(400, 'bad header name');
      let v0 = colon + 1;
      while (v0 < next && (text.charCodeAt(v0) === 32 || text.charCodeAt(v0) === 9)) v0++;
      let v1 = next;
      while (v1 > v0 && (text.charCodeAt(v1 - 1) === 32 || text.charCodeAt(v1 - 1) === 9)) v1--;
      const value = text.slice(v0, v1);
      if (BAD_VALUE.test(value)) throw new RequestParseError(400, 'bad header value');
      pos = next + 2;
      const name = lower(raw);
      switch (name) {
        case 'connection':
          connection = connection === undefined ? value : `${connection}, ${value}`;
          break;
        case 'transfer-encoding':
          te = te === undefined ? value : `${te}, ${value}`;
          break;
        case 'content-length':
          if (cl !== undefined) throw new RequestParseError(400, 'duplicate content-length');
          if (!/^\d+$/.test(value)) throw new RequestParseError(400, 'bad content-length');
          cl = value;
          break;
        case 'upgrade':
          upgrade = true;
          break;
        case 'expect':
          expect = true;
          break;
      }
      const prev = headers[name];
      if (prev === undefined) headers[name] = name === 'set-cookie' ? [value] : value;
      else if (name === 'set-cookie') (prev as string[]).push(value);
      else if (FIRST_ONLY.has(name)) continue;
      else headers[name] = `${prev as string}${name === 'cookie' ? '; ' : ', '}${value}`;
    }
    const closing = connection !== undefined && hasToken(connection, 'close');
    const keepAlive = minor === 1 ? !closing : connection !== undefined && !closing && hasToken(connection, 'keep-alive');
    const handOff = odd || method === 'CONNECT' || expect || (upgrade && connection !== undefined && hasToken(connection, 'upgrade'));
    const head: RequestHead = { method, url, minor, headers, keepAlive, handOff };
    if (handOff) return head;
    // Node's server (requireHostHeader) refuses an HTTP/1.1 request without Host.
    if (minor === 1 && headers.host === undefined) throw new RequestParseError(400, 'missing host header');
    if (te !== undefined) {
      if (cl !== undefined) throw new RequestParseError(400, 'content-length with transfer-encoding');
      const codings = te.split(',');
      if (codings[codings.length - 1]!.trim().toLowerCase() !== 'chunked') throw new RequestParseError(400, 'transfer-encoding not ending in chunked');
      this.chunked.reset();
      this.state = State.Chunked;
    } else if (cl !== undefined) {
      const n = Number(cl);
      if (!Number.isSafeInteger(n)) throw new RequestParseError(400, 'bad content-length');
      this.remaining = n;
      this.state = n === 0 ? State.Done : State.Fixed;
    } else this.state = State.Done;
    return head;
  }
}
