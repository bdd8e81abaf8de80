/**
 * The built-in load generator: an OPEN-MODEL, constant- or ramping-arrival-rate HTTP client
 * (`plan.profile`: arrival k due at Λ⁻¹(k), see `rate-profile.ts`).
 *
 * Open model: request i is due at `t0 + i / rate` no matter how earlier requests fared; it is sent
 * without waiting for any response. A closed-model tool (N workers, each sending after its previous
 * response) slows down exactly when the target does, so a stall of 1 s shows up as ONE slow
 * request per worker and the requests that "should" have been sent during the stall never exist:
 * that is coordinated omission, and it hides the stall from the percentiles.
 *
 * Coordinated-omission choice: latency is measured from the INTENDED send time to the last byte of
 * the response body. If the event loop wakes up late, every due request is sent at once (catch-up,
 * the schedule is never skipped) and the lateness is part of its latency: a slow generator can only
 * make latencies look worse, never better. A request waits for a connection only in the pool's
 * queue (`connection-pool.ts`: until one frees up or is opened; the wait is in its latency), never
 * for a slot: beyond `maxInFlight` (waiting ones included) it is recorded as a "dropped" sample and
 * counted, since holding it back would be a hidden closed loop. From 1,000 req/s the request path is
 * warmed first (`jit-warm-up.ts`), so the JIT's start-up is not reported as the target's latency.
 */
import type { Dispatcher } from 'undici';
import { systemClock, type Clock } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { LoadGenerator, LoadPlan, LoadSummary, SampleSink } from '../types.js';
import { peakRateOf } from '../rate-profile.js';
import { createArrivalSchedule } from './arrival-schedule.js';
import { createConnectionPool } from './connection-pool.js';
import { warmUpRequestPath } from './jit-warm-up.js';
import { sendRequest, type InFlightRequest, type RequestOutcome } from './send-request.js';

/** Options of {@link createBuiltinGenerator}. */
export interface BuiltinGeneratorOptions {
  /**
   * Time source: `now()` is read once at start (the epoch anchor of `Sample.time`), `monotonic()`
   * drives the schedule and latencies, so wall-clock steps cannot distort them.
   * @default the system clock (`Date.now()`, `performance.now()`)
   */
  clock?: Clock;
  /**
   * Most connections open to the target at once. A request finding none free waits for the first
   * that frees up or is opened (`connection-pool.ts`); the wait is in its latency.
   * @default plan.maxInFlight
   */
  connections?: number;
  /**
   * Gaps between sends shorter than this are waited by yielding to I/O (punctual, uses CPU)
   * rather than sleeping on a 1 ms timer (cheap, up to ~1 ms late, lateness counted in latency).
   * @default 0.25
   */
  yieldBelowMs?: number;
  /**
   * Warm the request path on a loopback server before the first arrival at rates from 1,000 req/s
   * (`jit-warm-up.ts`), so the JIT's start-up is not reported as the target's latency.
   * @default true
   */
  warmUp?: boolean;
}

/** Checks the numbers of a plan; they come validated from the spec, but a bad one would hang or spin. */
function checkPlan(plan: LoadPlan): URL {
  const bad = (field: string, why: string) =>
    new UsageError(`load plan: ${field} ${why}`, { hint: 'check the load section of the experiment' });
  if (plan.profile === undefined && (!(plan.rate > 0) || !Number.isFinite(plan.rate))) throw bad('rate', `must be a positive number, got ${plan.rate}`);
  const rates = plan.profile ? [plan.profile.startRate, ...plan.profile.stages.map((s) => s.rate)] : [];
  if (rates.some((r) => !(r >= 0) || !Number.isFinite(r))) throw bad('stages', 'rates must be numbers >= 0');
  if (!(plan.durationMs >= 0) || !Number.isFinite(plan.durationMs)) throw bad('duration', `must be >= 0 ms, got ${plan.durationMs}`);
  if (!(plan.timeoutMs > 0)) throw bad('timeout', `must be > 0 ms, got ${plan.timeoutMs}`);
  if (!(plan.maxInFlight >= 1)) throw bad('maxInFlight', `must be >= 1, got ${plan.maxInFlight}`);
  let url: URL;
  try {
    url = new URL(plan.url);
  } catch (err) {
    throw new UsageError(`load plan: invalid url "${plan.url}"`, { hint: 'give a full URL like http://127.0.0.1:8080/', cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad('url', `must be http or https, got ${url.protocol}`);
  return url;
}

/** The request options of one request shape (undici does not mutate them, so one serves many sends). */
function requestOptions(plan: LoadPlan, shape: { method: string; headers: Record<string, string>; body?: string }, url: URL): Dispatcher.DispatchOptions {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(shape.headers)) headers[k.toLowerCase()] = v;
  if (plan.hostHeader !== undefined) headers['host'] = plan.hostHeader;
  const options: Dispatcher.DispatchOptions = { path: `${url.pathname}${url.search}`, method: shape.method, headers };
  if (shape.body !== undefined) options.body = shape.body;
  return options;
}

/** The request of the next arrival: the plan's one request, or the picker's choice with its name. */
function nextRequest(plan: LoadPlan, url: URL, shared: Dispatcher.DispatchOptions): { request: Dispatcher.DispatchOptions; name?: string } {
  if (plan.picker === undefined) return { request: shared };
  const picked = plan.picker.next();
  return { request: requestOptions(plan, picked, new URL(picked.url, url)), name: picked.name };
}

/** Creates the built-in generator (registry name "builtin"). */
export function createBuiltinGenerator(options: BuiltinGeneratorOptions = {}): LoadGenerator {
  const clock = options.clock ?? systemClock;

  function run(plan: LoadPlan, onSample: SampleSink, signal: AbortSignal): Promise<LoadSummary> {
    let url: URL;
    try {
      url = checkPlan(plan);
    } catch (err) {
      // Always report through the promise, like any other failure of the run.
      return Promise.reject(err);
    }
    const summary: LoadSummary = { scheduled: 0, completed: 0, failed: 0, dropped: 0, elapsedMs: 0, aborted: 0 };
    if (signal.aborted) return Promise.resolve(summary);
    const warmUp = options.warmUp === false ? Promise.resolve() : warmUpRequestPath({ peakRate: peakRateOf(plan), signal });
    return warmUp.then(() => (signal.aborted ? summary : runSchedule(plan, url, onSample, signal, summary)));
  }

  /** Sends the plan's arrivals, from now on. */
  function runSchedule(plan: LoadPlan, url: URL, onSample: SampleSink, signal: AbortSignal, summary: LoadSummary): Promise<LoadSummary> {
    const request = requestOptions(plan, plan, url);
    const versionHeader = plan.versionHeader.toLowerCase();
    const pool = createConnectionPool({
      origin: url,
      ...(plan.hostHeader === undefined ? {} : { hostHeader: plan.hostHeader }),
      connectTimeoutMs: plan.timeoutMs,
      maxConnections: options.connections ?? plan.maxInFlight,
    });
    const epoch0 = clock.now();
    const inFlight = new Set<InFlightRequest>();
    let scheduleDone = false;
    let settled = false;

    return new Promise<LoadSummary>((resolve, reject) => {
      const finish = (err?: unknown): void => {
        if (settled) return;
        settled = true;
        schedule.stop();
        signal.removeEventListener('abort', onAbort);
        summary.aborted = inFlight.size;
        for (const r of inFlight) r.cancel();
        inFlight.clear();
        summary.elapsedMs = clock.monotonic() - schedule.startedAt();
        // Closes idle and busy connections alike.
        pool.destroy().catch(() => {});
        if (err === undefined) resolve(summary);
        else reject(err);
      };
      const onAbort = (): void => finish();
      // A throwing sink is a bug of the caller: stop the run and surface it rather than lose samples.
      const emit: SampleSink = (sample) => {
        try {
          onSample(sample);
        } catch (err) {
          finish(err);
        }
      };

      const onDue = (_index: number, dueOffsetMs: number): void => {
        summary.scheduled++;
        const time = epoch0 + dueOffsetMs;
        const due = schedule.startedAt() + dueOffsetMs;
        // Chosen even for a drop, so the request sequence does not depend on how fast the target is.
        const { request: sent, name } = nextRequest(plan, url, request);
        const named = name === undefined ? {} : { request: name };
        if (inFlight.size >= plan.maxInFlight) {
          summary.dropped++;
          emit({ time, latencyMs: clock.monotonic() - due, status: 0, error: 'dropped', ...named });
          return;
        }
        let ended = false;
        let req: InFlightRequest | undefined;
        const onEnd = (outcome: RequestOutcome): void => {
          ended = true;
          if (req !== undefined) inFlight.delete(req);
          if (outcome.error === undefined) summary.completed++;
          else summary.failed++;
          emit({ time, latencyMs: clock.monotonic() - due, ...outcome, ...named });
          if (scheduleDone && inFlight.size === 0) finish();
        };
        req = sendRequest({ dispatcher: pool, request: sent, timeoutMs: plan.timeoutMs, versionHeader, onEnd });
        // onEnd may already have run (dispatch failing synchronously): track only what is in flight.
        if (!ended) inFlight.add(req);
      };

      const schedule = createArrivalSchedule({
        rate: plan.rate,
        ...(plan.profile ? { profile: plan.profile } : {}),
        durationMs: plan.durationMs,
        clock,
        onDue,
        ...(options.yieldBelowMs === undefined ? {} : { yieldBelowMs: options.yieldBelowMs }),
        onDone: () => {
          scheduleDone = true;
          if (inFlight.size === 0) finish();
        },
      });
      signal.addEventListener('abort', onAbort, { once: true });
      schedule.start();
    });
  }

  return { name: 'builtin', run };
}
