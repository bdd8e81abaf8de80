/**
 * Backing off while the API server is away. A restore must survive a control-plane restart or a
 * rolling upgrade of the API servers (seconds to a minute), so retryable failures — unreachable
 * server, 429, 5xx — are tried again with capped exponential backoff and jitter until a time budget
 * runs out; anything else (403, 404, 422) fails at once.
 */
import { backoffMs, HALF_JITTER } from './backoff.js';
import { KubeApiError } from './kube-error.js';

/** Options for {@link withKubeRetry}. */
export interface KubeRetryOptions {
  /** How long to keep trying, ms. @default 60000 */
  budgetMs?: number;
  /** First wait, ms; doubles up to `maxDelayMs`. @default 200 */
  initialDelayMs?: number;
  /** Longest wait between tries, ms. @default 5000 */
  maxDelayMs?: number;
  /** Stops waiting early (the run was interrupted twice, say). @default never */
  signal?: AbortSignal;
  /** Called once when the first retryable failure happens, and once when a try succeeds after failures. */
  onOutage?: (event: { phase: 'down'; error: KubeApiError } | { phase: 'up'; afterMs: number; tries: number }) => void;
  /** Clock, ms. @default Date.now */
  now?: () => number;
  /** Sleep; tests make it instant. @default setTimeout */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Random source for jitter. @default Math.random */
  random?: () => number;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });

/** Runs `fn`, retrying retryable KubeApiErrors with backoff until the budget is spent; rethrows the last error. */
export async function withKubeRetry<T>(fn: () => Promise<T>, options: KubeRetryOptions = {}): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const budget = options.budgetMs ?? 60_000;
  const maxDelay = options.maxDelayMs ?? 5_000;
  const backoff = { initialMs: options.initialDelayMs ?? 200, maxMs: maxDelay, jitter: HALF_JITTER, random };
  const start = now();
  let tries = 0;
  for (;;) {
    tries++;
    try {
      const out = await fn();
      if (tries > 1) options.onOutage?.({ phase: 'up', afterMs: now() - start, tries });
      return out;
    } catch (err) {
      if (!(err instanceof KubeApiError) || !err.retryable) throw err;
      if (tries === 1) options.onOutage?.({ phase: 'down', error: err });
      const left = budget - (now() - start);
      if (left <= 0 || options.signal?.aborted) throw err;
      await sleep(Math.min(left, backoffMs(tries - 1, backoff)), options.signal);
    }
  }
}
