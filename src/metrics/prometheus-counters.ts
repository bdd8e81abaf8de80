/**
 * The counters behind Flagger's two built-ins, read during a step for `analysis.mode: sequential`:
 * each read gives the requests (and the bad ones) the judged version served since the last read,
 * from the raw Istio counters (no rate(), no sum(): a reset is found per series, see
 * counter-increments.ts), with the built-ins' own label matchers. Each series is read as its last
 * sample within a lookback (`last_over_time`, 10 min or 4 scrape intervals): a series whose scrape
 * failed just before the baseline read (stale, so absent from a plain selector) is still in the
 * baseline, rather than showing up later and having its whole lifetime counted as this step's.
 * - request-success-rate: `istio_requests_total`; bad = a 5xx response code (the built-in's
 *   `response_code!~"5.*"`, the other way round).
 * - request-duration: `istio_request_duration_milliseconds_bucket`; bad = slower than the
 *   histogram's smallest bucket bound at or above the SLO's max (`le`), counted as the +Inf bucket's
 *   gain less that bucket's. A max above every finite bound cannot be counted: the reader says so.
 */
import { RuntimeError } from '../errors.js';
import type { PrometheusSpec, SubjectSloSpec, TargetSpec } from '../experiment/schema.js';
import { createCounterIncrements, type SeriesIncrement } from './counter-increments.js';
import { promDuration } from '../experiment/promql-template.js';
import { queryVariables } from './measure.js';
import type { MetricSource } from './types.js';

/** Requests and bad requests since the last read. */
export interface CounterGain {
  /** Requests served. */
  requests: number;
  /** Of them, bad ones (5xx, or slower than the bucket bound). */
  bad: number;
}

/** Reads a version's counters again and again. */
export interface CounterReader {
  /** The query sent, for messages. */
  readonly query: string;
  /**
   * What the version served since the last read; undefined at the first read (the baseline) and
   * when nothing can be counted. @throws RuntimeError when Prometheus fails (the next read goes on
   * from the last good one) or the buckets cannot count the SLO's limit
   */
  read(timeMs: number, signal?: AbortSignal): Promise<CounterGain | undefined>;
}

/** Options of {@link createPrometheusCounterReader}. */
export interface PrometheusCounterOptions {
  /** The source. */
  source: MetricSource;
  /** The experiment's target. */
  target: TargetSpec;
  /** The prometheus section (workload template). */
  prometheus: PrometheusSpec;
  /** Which version. */
  subject: SubjectSloSpec['subject'];
  /** What to count: the success rate's 5xx, or the duration's requests slower than `maxMs`. */
  count: { builtin: 'request-success-rate' } | { builtin: 'request-duration'; maxMs: number };
}

/** The shortest lookback of a read (a series stale for longer counts as born anew). */
const LOOKBACK_MS = 10 * 60_000;

const METRIC = { 'request-success-rate': 'istio_requests_total', 'request-duration': 'istio_request_duration_milliseconds_bucket' } as const;

/** The built-ins' label matchers, for one version. */
export function counterQuery(o: Omit<PrometheusCounterOptions, 'source'>): string {
  const vars = queryVariables(o.subject, o.target, o.prometheus, 60_000);
  const matchers = `reporter="destination",destination_workload_namespace=${JSON.stringify(vars.namespace)},destination_workload=~${JSON.stringify(vars.target)}`;
  const lookbackMs = Math.max(LOOKBACK_MS, 4 * o.prometheus.scrapeInterval);
  return `last_over_time(${METRIC[o.count.builtin]}{${matchers}}[${promDuration(lookbackMs)}])`;
}

/** The smallest finite bucket bound at or above `maxMs`, among the `le` labels seen. */
export function bucketAtOrAbove(gains: readonly SeriesIncrement[], maxMs: number): number | undefined {
  let best: number | undefined;
  for (const g of gains) {
    const le = Number(g.labels['le']);
    if (Number.isFinite(le) && le >= maxMs && (best === undefined || le < best)) best = le;
  }
  return best;
}

/** Requests and slow ones in the bucket gains: +Inf's gain, less the gain of bucket `le`. */
function durationGain(gains: readonly SeriesIncrement[], le: number): CounterGain {
  let requests = 0;
  let within = 0;
  for (const g of gains) {
    const bound = g.labels['le'] === '+Inf' ? Infinity : Number(g.labels['le']);
    if (bound === Infinity) requests += g.increment;
    else if (bound === le) within += g.increment;
  }
  return { requests, bad: Math.max(0, requests - within) };
}

/** Creates the reader; nothing is asked until the first read. */
export function createPrometheusCounterReader(o: PrometheusCounterOptions): CounterReader {
  const query = counterQuery(o);
  const counters = createCounterIncrements();
  return {
    query,
    async read(timeMs, signal) {
      const result = await o.source.query(query, timeMs, signal);
      const gains = counters.update(result.series);
      if (!gains) return undefined;
      if (o.count.builtin === 'request-success-rate') {
        let requests = 0;
        let bad = 0;
        for (const g of gains) {
          requests += g.increment;
          if (/^5/.test(g.labels['response_code'] ?? '')) bad += g.increment;
        }
        return { requests, bad };
      }
      const le = bucketAtOrAbove(gains, o.count.maxMs);
      if (le === undefined) {
        // No gain at all reads as no bucket; only a histogram whose buckets all lie below max cannot count it.
        if (!gains.some((g) => Number.isFinite(Number(g.labels['le'])))) return { requests: 0, bad: 0 };
        throw new RuntimeError(`no bucket of istio_request_duration_milliseconds reaches ${o.count.maxMs} ms: the histogram cannot tell how many requests are slower`, {
          hint: 'lower the SLO\'s max to a bucket bound of the histogram; its fixed check still judges the step',
        });
      }
      return durationGain(gains, le);
    },
  };
}
