/**
 * The sequential tests of prometheus SLOs (issue 22, mode sequential): the canary's built-in
 * request-success-rate (min) and request-duration (max) SLOs, tested on Prometheus's own counters,
 * read once per scrape interval during the step (`metrics/prometheus-counters.ts`):
 * - request-success-rate ≥ min → the threshold test of the canary's share of 5xx against 1 − min;
 * - request-duration ≤ max (p99) → the threshold test of its share of requests slower than the
 *   histogram's bucket bound at or above max, against 1%;
 * α = 1 − analysis.absoluteConfidence. A read that brings no request is no look (an empty step
 * proves nothing); a read that fails is warned about once per test, and the SLO's own check still
 * judges the step at its end.
 */
import { checkName } from '../analysis/evaluate.js';
import { createSequentialThresholdTest, type SequentialResult } from '../analysis/sequential/index.js';
import type { PrometheusSpec, SloSpec, TargetSpec } from '../experiment/schema.js';
import { prometheusTested } from '../experiment/sequential-rules.js';
import { createPrometheusCounterReader, type CounterGain, type CounterReader } from '../metrics/prometheus-counters.js';
import type { MetricSource } from '../metrics/types.js';
import type { TestRecord } from './sequential-explain.js';

/** Where the prometheus SLOs' counters are read, and how often. */
export interface SequentialPrometheus {
  /** The source. */
  source: MetricSource;
  /** spec.metrics.prometheus (workload template, scrapeInterval). */
  spec: PrometheusSpec;
  /** The experiment's target. */
  target: TargetSpec;
  /** Told once per test when reading its counters fails. */
  warn(message: string): void;
}

/** A test fed by reading counters rather than the load generator's answers. */
export interface PolledEntry extends TestRecord {
  /** Reads the counters' gains. */
  reader: CounterReader;
  /** Feeds one read's gain to the test. */
  feed(gain: CounterGain): SequentialResult;
  /** Whether a failed read was warned about already. */
  warned: boolean;
}

/** The share of requests a p99 allows above its limit. */
const P99_SHARE = 0.01;

/** The polled test of a prometheus SLO, or undefined when it gets none. */
export function prometheusEntry(slo: SloSpec, alpha: number, p: SequentialPrometheus): PolledEntry | undefined {
  if (slo.kind !== 'prometheus' || !prometheusTested(slo)) return undefined;
  const common = { source: p.source, target: p.target, prometheus: p.spec, subject: slo.subject };
  const base = { name: checkName(slo), points: [], kind: 'prometheus-bound' as const, alpha, warned: false };
  if (slo.builtin === 'request-success-rate') {
    const bound = Number((1 - slo.min! / 100).toPrecision(12));
    const test = createSequentialThresholdTest({ alpha, bound });
    const reader = createPrometheusCounterReader({ ...common, count: { builtin: 'request-success-rate' } });
    const feed = (g: CounterGain) => test.update({ requests: g.requests, errors: g.bad });
    return { ...base, margin: bound, quantity: 'canary error rate (Prometheus, 5xx)', result: test.result(), reader, feed };
  }
  const test = createSequentialThresholdTest({ alpha, bound: P99_SHARE });
  const limitMs = slo.max!;
  const reader = createPrometheusCounterReader({ ...common, count: { builtin: 'request-duration', maxMs: limitMs } });
  const feed = (g: CounterGain) => test.update({ requests: g.requests, errors: g.bad });
  return { ...base, margin: P99_SHARE, limitMs, quantity: `share of canary requests slower than ${limitMs} ms (Prometheus's buckets)`, result: test.result(), reader, feed };
}

/**
 * Reads each polled test's counters once; returns the tests that got a look. Failed reads are
 * warned about (once per test) and skipped; nothing is fed once `signal` aborts.
 */
export async function readPolled(entries: readonly PolledEntry[], nowMs: number, signal: AbortSignal, warn: (m: string) => void): Promise<PolledEntry[]> {
  const fed: PolledEntry[] = [];
  for (const e of entries) {
    let gain: CounterGain | undefined;
    try {
      gain = await e.reader.read(nowMs, signal);
    } catch (err) {
      if (signal.aborted) return fed;
      if (!e.warned) warn(`the sequential test of ${e.name} cannot read Prometheus (${err instanceof Error ? err.message : String(err)}); it goes on with the next reads, and the SLO's own check judges the step at its end`);
      e.warned = true;
      continue;
    }
    if (signal.aborted) return fed;
    // No request counted is no evidence either way: no look, never a pass.
    if (!gain || gain.requests === 0) continue;
    e.result = e.feed(gain);
    fed.push(e);
  }
  return fed;
}
