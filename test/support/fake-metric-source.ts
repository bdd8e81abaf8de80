/**
 * A MetricSource stand-in for unit tests of what asks a metric source: answers each query with
 * the value `answer` gives (no series when undefined) and records the queries it was asked.
 */
import type { MetricSource } from '../../src/metrics/types.js';

/** The fake source; `explain` is what explainEmpty says. */
export function fakeMetricSource(answer: (query: string) => number | undefined, explain?: string): MetricSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    name: 'fake',
    address: 'fake',
    asked,
    ping: async () => {},
    query: async (query, timeMs) => {
      asked.push(query);
      const v = answer(query);
      return { query, timeMs, series: v === undefined ? [] : [{ labels: {}, value: v }] };
    },
    explainEmpty: async () => explain,
  };
}
