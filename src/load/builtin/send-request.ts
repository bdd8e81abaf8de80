/**
 * One request of the built-in generator, on undici's low-level `dispatch` API: no response
 * stream is built, body chunks are dropped as they arrive, and the request ends when the last
 * byte is in (latency covers the whole body).
 */
import type { Dispatcher } from 'undici';
import { classifyError } from './classify-error.js';
import type { PooledRequest, RequestDispatcher } from './connection-pool.js';

/** How a request ended. */
export interface RequestOutcome {
  /** Final HTTP status; 0 when the response did not arrive in full (see `error`). */
  status: number;
  /** Value of the version header, when the response headers arrived. */
  version?: string;
  /** Why the request failed: "timeout", "connect", "reset" or "error". */
  error?: string;
  /** The mesh answered itself (see `Sample.meshReply`). */
  meshReply?: 'fault-abort';
}

/** A request on its way. */
export interface InFlightRequest {
  /** Aborts the request; its `onEnd` is never called. */
  cancel(): void;
}

/** Options of {@link sendRequest}. */
export interface SendRequestOptions {
  /** Where to send: the run's connection pool (`connection-pool.ts`). */
  dispatcher: RequestDispatcher;
  /** Path, method, headers and body; shared by every request of a run. */
  request: Dispatcher.DispatchOptions;
  /** The request fails with "timeout" when not complete after this many ms. */
  timeoutMs: number;
  /** Lowercase response header naming the version. */
  versionHeader: string;
  /** Called exactly once when the request ends (unless cancelled). */
  onEnd(outcome: RequestOutcome): void;
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Envoy's body for a fault-injection abort (`envoy.filters.http.fault`), what the local mesh sends too. */
const FAULT_ABORT_BODY = 'fault filter abort';
// Longest body worth keeping to recognise a local answer; anything longer is not Envoy's.
const LOCAL_BODY_MAX = 64;

/** Sends one request; never throws (failures come back through `onEnd`). */
export function sendRequest(options: SendRequestOptions): InFlightRequest {
  const { onEnd, versionHeader } = options;
  let done = false;
  let controller: Dispatcher.DispatchController | undefined;
  let pooled: PooledRequest | undefined;
  let status = 0;
  let version: string | undefined;
  // The first bytes of an error answer that named no version, to tell the mesh's own answers apart.
  let localBody: Buffer[] | undefined;
  let localBytes = 0;

  const finish = (outcome: RequestOutcome, abortTransport: boolean): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    // Still waiting for a connection: it never leaves the queue.
    pooled?.withdraw();
    // Aborting destroys the socket, so a stalled connection is not reused by the next request.
    if (abortTransport) controller?.abort(new Error('request ended by mesh-exp'));
    onEnd(outcome);
  };
  const fail = (error: string, abortTransport: boolean): void => {
    // A response cut short (timeout or reset in the body) is no response: status 0, but the
    // version it came from is kept so the failure is attributed to the right version.
    finish(version === undefined ? { status: 0, error } : { status: 0, version, error }, abortTransport);
  };

  // libuv runs timers on a loop clock truncated to whole milliseconds, so a timer may fire up to
  // ~1 ms before timeoutMs have passed on the monotonic clock latencies are measured with: a
  // request must never be called timed out before its time, so an early timer is re-armed.
  const started = performance.now();
  const onTimer = (): void => {
    const left = options.timeoutMs - (performance.now() - started);
    if (left > 0) timer = setTimeout(onTimer, Math.ceil(left));
    else fail('timeout', true);
  };
  let timer = setTimeout(onTimer, options.timeoutMs);

  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(c) {
      controller = c;
      // Timed out or cancelled while the connection was being made: stop it now.
      if (done) c.abort(new Error('request ended by mesh-exp'));
    },
    onResponseStart(_c, statusCode, headers) {
      // 1xx informational responses come before the real one.
      if (statusCode < 200) return;
      status = statusCode;
      version = headerValue(headers[versionHeader]);
      localBody = version === undefined && statusCode >= 400 ? [] : undefined;
    },
    onResponseData(_c, chunk) {
      // Body bytes are read to measure the full response and discarded, but for the first few of
      // an error without a version (a fault abort is "fault filter abort").
      if (localBody === undefined || localBytes > LOCAL_BODY_MAX) return;
      localBody.push(chunk);
      localBytes += chunk.length;
    },
    onResponseEnd() {
      if (version !== undefined) finish({ status, version }, false);
      else if (localBody && localBytes <= LOCAL_BODY_MAX && Buffer.concat(localBody).toString('latin1').trim() === FAULT_ABORT_BODY) finish({ status, meshReply: 'fault-abort' }, false);
      else finish({ status }, false);
    },
    onResponseError(_c, err) {
      fail(classifyError(err), false);
    },
  };

  try {
    pooled = options.dispatcher.dispatch(options.request, handler);
  } catch (err) {
    fail(classifyError(err), false);
  }

  return {
    cancel() {
      if (done) return;
      done = true;
      clearTimeout(timer);
      pooled?.withdraw();
      controller?.abort(new Error('load run aborted'));
    },
  };
}
