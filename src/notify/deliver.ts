/**
 * Delivers one event to one target: a JSON POST with a timeout per attempt, retried with
 * exponential backoff after a 429, a 5xx, a timeout or a connection error (never after another
 * status: a 4xx will not get better), honouring Retry-After up to a cap. It never throws: the
 * outcome says what happened, in words that never hold the URL (errors name the target's label).
 */
import { setTimeout as wait } from 'node:timers/promises';
import { request, type Dispatcher } from 'undici';

/** First backoff, ms; each retry waits twice the one before (with jitter), up to {@link MAX_BACKOFF_MS}. */
export const BASE_BACKOFF_MS = 250;
/** Longest wait between attempts, ms, Retry-After included: a receiver cannot park the run longer. */
export const MAX_BACKOFF_MS = 10_000;

/** One delivery. */
export interface Delivery {
  /** The secret URL. */
  url: string;
  /** The JSON body. */
  body: string;
  /** Timeout of each attempt, ms. */
  timeoutMs: number;
  /** Retries after a retryable failure. */
  retries: number;
}

/** What delivery uses besides the request. */
export interface DeliverDeps {
  /** Connections (the notifier's own agent, closed with it). */
  dispatcher: Dispatcher;
  /** Stops every attempt and wait at once (the notifier's grace time is over). */
  signal: AbortSignal;
  /** A number in [0, 1) for the jitter. @default Math.random */
  random?: () => number;
}

/** How a delivery ended. */
export interface DeliveryOutcome {
  /** Whether a 2xx came back. */
  ok: boolean;
  /** Attempts made. */
  attempts: number;
  /** The last failure in plain words (a status, an error code, a timeout); never the URL. @default absent when ok */
  reason?: string;
}

/** The wait before retry `n` (1-based): exponential with full jitter over its upper half, capped. */
export function backoffMs(n: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (n - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Retry-After (RFC 9110: delay-seconds or an HTTP-date) as ms from `now`, capped; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  // An HTTP-date names its weekday and month: a bare "-5" is neither form (Date.parse would take it as a year).
  const ms = /^\s*\d+\s*$/.test(text) ? Number(text) * 1000 : /^[A-Za-z]{3},/.test(text.trim()) ? Date.parse(text) - now : Number.NaN;
  return Number.isFinite(ms) ? Math.min(MAX_BACKOFF_MS, Math.max(0, ms)) : undefined;
}

/** Whether a status is worth another attempt. */
export function retryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Resolves after `ms`, or at once when `signal` aborts (the timer is cleared then). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return wait(ms, undefined, { signal }).then(
    () => undefined,
    () => undefined,
  );
}

/** An error as words without the URL: its code or name, never its message (undici's may hold the URL). */
function errorReason(err: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs} ms`;
  const e = err as { code?: unknown; name?: unknown };
  return typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'request failed';
}

interface Attempt {
  ok: boolean;
  retry: boolean;
  reason?: string;
  waitMs?: number;
}

async function attempt(d: Delivery, deps: DeliverDeps): Promise<Attempt> {
  const timeout = AbortSignal.timeout(d.timeoutMs);
  try {
    const res = await request(d.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'mesh-exp' },
      body: d.body,
      dispatcher: deps.dispatcher,
      signal: AbortSignal.any([deps.signal, timeout]),
      headersTimeout: d.timeoutMs,
      bodyTimeout: d.timeoutMs,
    });
    // The body is not needed, but must be read for the connection to be reused.
    await res.body.dump().catch(() => {});
    if (res.statusCode >= 200 && res.statusCode < 300) return { ok: true, retry: false };
    const wait = res.statusCode === 429 || res.statusCode === 503 ? retryAfterMs(res.headers['retry-after'], Date.now()) : undefined;
    return { ok: false, retry: retryableStatus(res.statusCode), reason: `HTTP ${res.statusCode}`, ...(wait !== undefined ? { waitMs: wait } : {}) };
  } catch (err) {
    return { ok: false, retry: !deps.signal.aborted, reason: deps.signal.aborted ? 'no answer yet' : errorReason(err, timeout.aborted, d.timeoutMs) };
  }
}

/** Delivers `d`, retrying as the header says; never throws. */
export async function deliver(d: Delivery, deps: DeliverDeps): Promise<DeliveryOutcome> {
  let last: Attempt = { ok: false, retry: false, reason: 'not sent' };
  let attempts = 0;
  for (let n = 0; n <= d.retries && !deps.signal.aborted; n++) {
    if (n > 0) await sleep(last.waitMs ?? backoffMs(n, deps.random), deps.signal);
    if (deps.signal.aborted) break;
    attempts++;
    last = await attempt(d, deps);
    if (last.ok || !last.retry) break;
  }
  if (deps.signal.aborted && !last.ok) last = { ...last, reason: `${last.reason ?? 'not sent'}; cancelled at the end of the grace time` };
  return { ok: last.ok, attempts, ...(last.ok ? {} : { reason: last.reason ?? 'not sent' }) };
}
