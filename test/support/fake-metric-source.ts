/**
 * MetricSource stand-ins for unit tests of what asks a metric source: answers each query with
 * what a function gives and records the queries it was asked.
 */
import type { MetricSeries, MetricSource } from '../../src/metrics/types.js';

/** The fake source: one series with the value `answer` gives (no series when undefined); `explain` is what explainEmpty says. */
export function fakeMetricSource(answer: (query: string) => number | undefined, explain?: string): MetricSource & { asked: string[] } {
  const source = fakeSeriesSource((query) => {
    const v = answer(query);
    return v === undefined ? [] : [{ labels: {}, value: v }];
  });
  return { ...source, explainEmpty: async () => explain };
}

/**
 * A source of series lists (e.g. raw counters, for the sequential tests of prometheus SLOs): each
 * query is answered with what `answer` returns, or fails with the Error it returns.
 */
export function fakeSeriesSource(answer: (query: string) => MetricSeries[] | Error): MetricSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    name: 'fake',
    address: 'fake',
    asked,
    ping: async () => {},
    query: async (query, timeMs) => {
      asked.push(query);
      const got = answer(query);
      if (got instanceof Error) throw got;
      return { query, timeMs, series: got };
    },
    explainEmpty: async () => undefined,
  };
}
