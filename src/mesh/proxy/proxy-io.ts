/**
 * The part of a client's request and response the proxy uses — what both of its downstream
 * servers satisfy: `node:http`'s `IncomingMessage` / `ServerResponse` (the fallback path) and the
 * raw-socket front end's own objects (downstream.ts, the fast path).
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Addresses of the client's connection (consistent hashing on the source IP or a generated cookie). */
export interface ProxySocket {
  readonly remoteAddress?: string | undefined;
  readonly remotePort?: number | undefined;
  readonly localAddress?: string | undefined;
  readonly localPort?: number | undefined;
}

/** A client's request: its head, and its body as 'data' / 'end' events (flowing once listened to). */
export interface ProxyRequest {
  /** Method. */
  readonly method?: string | undefined;
  /** Request target, as sent. */
  readonly url?: string | undefined;
  /** Headers, lowercase names, duplicates combined as `IncomingMessage` combines them. */
  readonly headers: IncomingHttpHeaders;
  /** The client's connection. */
  readonly socket: ProxySocket;
  /** Body events. */
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  /** Stops 'data' events (backpressure to the client). */
  pause(): unknown;
  /** Resumes 'data' events. */
  resume(): unknown;
  /** True while paused. */
  isPaused(): boolean;
}

/** Where a response body streams (the client's response, once its head is written). */
export interface BodySink {
  /** Writes a piece; false when the sink is full ('drain' follows). */
  write(chunk: Buffer): boolean;
  /** Ends the body, with a last piece. */
  end(chunk?: Buffer): unknown;
  /** Cuts the response (the connection is closed). */
  destroy(): unknown;
  once(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
}

/** A client's response. */
export interface ProxyResponse extends BodySink {
  /** True once `writeHead` was called. */
  readonly headersSent: boolean;
  /** True once the whole response was handed to the connection. */
  readonly writableFinished: boolean;
  /** Sets status and headers; throws on a header Node would refuse to write. */
  writeHead(status: number, headers: OutgoingHttpHeaders): unknown;
  /** Ends the response, with a last piece. */
  end(chunk?: Buffer | string): unknown;
  /** 'close': the response finished or the client went away. */
  on(event: 'close', listener: () => void): unknown;
}
