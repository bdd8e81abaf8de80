/**
 * The downstream request body, streamed to the upstream try as it arrives (backpressure from the
 * primary try pauses the client) and kept in memory up to a limit so that a retry can replay it and
 * mirrors get a copy — like Envoy's request buffering for retries and shadows. Bodies over the
 * limit are still streamed, but the request is no longer retriable. Requests without a body (the
 * common GET) take the fast path: nothing is buffered or listened to.
 */
import type { ProxyRequest } from './proxy-io.js';
import type { Writable } from 'node:stream';

/** Bodies up to this size are kept for retries and mirrors (Envoy's default buffer limit is 1 MiB). */
export const REPLAY_LIMIT_BYTES = 1024 * 1024;

/** A body that can be sent to several upstream requests. */
export interface RequestBody {
  /** Whether the request has a body at all (most GETs do not). */
  readonly hasBody: boolean;
  /** False once the body outgrew the replay limit (no further tries possible). */
  readonly replayable: boolean;
  /**
   * Sends the body to `dest` (what arrived so far, then the rest as it comes) and ends it.
   * `primary` destinations exert backpressure on the client; copies (mirrors) do not.
   */
  sendTo(dest: Writable, primary: boolean): void;
  /** Stops sending to `dest` (a try that was abandoned). */
  detach(dest: Writable): void;
}

const EMPTY: RequestBody = {
  hasBody: false,
  replayable: true,
  sendTo: (dest) => void dest.end(),
  detach: () => {},
};

/** True when the request announces a body. */
export function hasBody(req: ProxyRequest): boolean {
  const te = req.headers['transfer-encoding'];
  if (te !== undefined) return true;
  const cl = req.headers['content-length'];
  return cl !== undefined && cl !== '0';
}

/** Wraps `req`'s body; reading starts with the first `sendTo`. */
export function createRequestBody(req: ProxyRequest, limit = REPLAY_LIMIT_BYTES): RequestBody {
  if (!hasBody(req)) return EMPTY;
  let chunks: Buffer[] | undefined = [];
  let size = 0;
  let complete = false;
  let started = false;
  const sinks = new Set<Writable>();
  let primary: Writable | undefined;

  const start = () => {
    started = true;
    req.on('data', (chunk: Buffer) => {
      if (chunks) {
        size += chunk.length;
        if (size > limit) chunks = undefined;
        else chunks.push(chunk);
      }
      for (const s of sinks) {
        const ok = s.write(chunk);
        if (!ok && s === primary) {
          req.pause();
          s.once('drain', () => req.resume());
        }
      }
    });
    req.on('end', () => {
      complete = true;
      for (const s of sinks) s.end();
      sinks.clear();
    });
  };

  return {
    hasBody: true,
    get replayable() {
      return chunks !== undefined;
    },
    sendTo(dest, isPrimary) {
      if (chunks) for (const c of chunks) dest.write(c);
      if (complete) {
        dest.end();
        return;
      }
      sinks.add(dest);
      if (isPrimary) primary = dest;
      if (!started) start();
      else if (isPrimary && req.isPaused()) req.resume();
    },
    detach(dest) {
      sinks.delete(dest);
      if (primary === dest) {
        primary = undefined;
        if (req.isPaused()) req.resume();
      }
    },
  };
}
