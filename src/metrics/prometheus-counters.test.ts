import { describe, expect, it } from 'vitest';
import { experimentSpecSchema } from '../experiment/schema.js';
import { fakeSeriesSource } from '../../test/support/fake-metric-source.js';
import type { MetricSeries } from './types.js';
import { counterQuery, createPrometheusCounterReader } from './prometheus-counters.js';

const parsed = experimentSpecSchema.parse({
  target: { virtualService: 'reviews', host: 'reviews.shop.svc.cluster.local', namespace: 'shop', stable: 'v1', canary: 'v2' },
  traffic: { shift: { steps: [50] } },
  local: { manifests: ['./istio'] },
  slos: [{ kind: 'prometheus', builtin: 'request-success-rate', min: 99 }],
  metrics: { prometheus: {} },
});
const base = { target: parsed.target, prometheus: parsed.metrics!.prometheus! };

const code = (c: string, value: number): MetricSeries => ({ labels: { response_code: c, destination_workload: 'reviews-v2' }, value });
const bucket = (le: string, value: number): MetricSeries => ({ labels: { le }, value });

describe('the counters of the prometheus built-ins', () => {
  it("selects the canary's raw counters with the built-ins' matchers (no rate, no sum: resets are found per series), each at its last sample within the lookback", () => {
    expect(counterQuery({ ...base, subject: 'canary', count: { builtin: 'request-success-rate' } })).toBe(
      'last_over_time(istio_requests_total{reporter="destination",destination_workload_namespace="shop",destination_workload=~"reviews-v2"}[600s])',
    );
    // The lookback spans at least 4 scrape intervals.
    expect(counterQuery({ ...base, prometheus: { ...base.prometheus, scrapeInterval: 300_000 }, subject: 'stable', count: { builtin: 'request-duration', maxMs: 250 } })).toBe(
      'last_over_time(istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload_namespace="shop",destination_workload=~"reviews-v1"}[1200s])',
    );
  });

  it('request-success-rate: the requests and 5xx served since the last read, the first read being the baseline', async () => {
    const readings: MetricSeries[][] = [
      [code('200', 900), code('503', 5)],
      [code('200', 990), code('503', 15), code('404', 3), code('500', 2)],
    ];
    const source = fakeSeriesSource(() => readings.shift()!);
    const reader = createPrometheusCounterReader({ ...base, source, subject: 'canary', count: { builtin: 'request-success-rate' } });
    expect(await reader.read(0)).toBeUndefined();
    // 90 more 200s, 10 more 503s, a 404 series born with 3 (not a 5xx), a 500 series born with 2.
    expect(await reader.read(1000)).toEqual({ requests: 90 + 10 + 3 + 2, bad: 12 });
  });

  it('request-duration: the requests slower than the smallest bucket bound at or above max (+Inf less that bucket)', async () => {
    const readings: MetricSeries[][] = [
      [bucket('100', 0), bucket('250', 0), bucket('500', 0), bucket('+Inf', 0)],
      [bucket('100', 80), bucket('250', 95), bucket('500', 98), bucket('+Inf', 100)],
    ];
    const reader = createPrometheusCounterReader({ ...base, source: fakeSeriesSource(() => readings.shift()!), subject: 'canary', count: { builtin: 'request-duration', maxMs: 200 } });
    await reader.read(0);
    // max 200 ms falls between 100 and 250: counted at le 250, 100 − 95 slower.
    expect(await reader.read(1000)).toEqual({ requests: 100, bad: 5 });
  });

  it('request-duration: a max above every finite bucket is said, not counted as met; no series at all is no request', async () => {
    const readings: MetricSeries[][] = [[], [], [bucket('100', 5), bucket('+Inf', 5)]];
    const reader = createPrometheusCounterReader({ ...base, source: fakeSeriesSource(() => readings.shift()!), subject: 'canary', count: { builtin: 'request-duration', maxMs: 500 } });
    await reader.read(0);
    expect(await reader.read(1000)).toEqual({ requests: 0, bad: 0 });
    await expect(reader.read(2000)).rejects.toThrow(/no bucket of istio_request_duration_milliseconds reaches 500 ms/);
  });

  it("a failed read throws and the next one counts from the last good reading", async () => {
    const readings: (MetricSeries[] | Error)[] = [[code('200', 10)], new Error('Prometheus at x is unreachable'), [code('200', 70)]];
    const reader = createPrometheusCounterReader({ ...base, source: fakeSeriesSource(() => readings.shift()!), subject: 'canary', count: { builtin: 'request-success-rate' } });
    await reader.read(0);
    await expect(reader.read(1000)).rejects.toThrow(/unreachable/);
    expect(await reader.read(2000)).toEqual({ requests: 60, bad: 0 });
  });
});
