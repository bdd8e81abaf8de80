import { describe, expect, it } from 'vitest';
import { fakeMetricSource } from '../../test/support/fake-metric-source.js';
import { istioSpecWithSlos } from '../../test/support/mesh-view-spec.js';
import { clusterNameRegex, measureMeshViewSlos, meshViewQueries } from './measure-mesh-view.js';
import type { MeshViewSlo } from './mesh-view.js';

const spec = istioSpecWithSlos([
  { kind: 'response-flag', flag: 'UO', max: '30%' },
  { kind: 'response-flag', flag: 'URX', subject: 'canary', max: '1%' },
  { kind: 'ejections', min: 1 },
  { kind: 'retry-success-rate', min: '90%' },
]);
const slos = spec.slos as MeshViewSlo[];
const prometheus = spec.metrics!.prometheus!;

/** A source answering each query from `answers` by a substring of it. */
const fakeSource = (answers: Array<[string, number | undefined]>) => fakeMetricSource((q) => answers.find(([k]) => q.includes(k))?.[1], 'cluster_name matched nothing');

describe('mesh-view queries', () => {
  it('selects the subject\'s outbound clusters of the host by regex (pipes and dots escaped)', () => {
    expect(clusterNameRegex(slos[2]!, spec.target)).toBe('outbound\\|[0-9]+\\|v2\\|reviews\\.default\\.svc\\.cluster\\.local');
    expect(clusterNameRegex(slos[0]!, spec.target)).toBe('outbound\\|[0-9]+\\|[^|]*\\|reviews\\.default\\.svc\\.cluster\\.local');
  });

  it('writes the PromQL: source-reporter requests by flag, Envoy cluster counters over the window', () => {
    expect(meshViewQueries(slos[0]!, spec.target, prometheus, 10_000)).toEqual({
      part: 'sum(increase(istio_requests_total{reporter="source",destination_service_namespace="default",destination_service_name="reviews",response_flags=~"(.+,)?UO(,.+)?"}[10s]))',
      whole: 'sum(increase(istio_requests_total{reporter="source",destination_service_namespace="default",destination_service_name="reviews"}[10s]))',
    });
    expect(meshViewQueries(slos[1]!, spec.target, prometheus, 10_000).whole).toContain(',destination_workload=~"reviews-v2"}');
    expect(meshViewQueries(slos[2]!, spec.target, prometheus, 10_000)).toEqual({
      part: 'round(sum(increase(envoy_cluster_outlier_detection_ejections_enforced_total{cluster_name=~"outbound\\\\|[0-9]+\\\\|v2\\\\|reviews\\\\.default\\\\.svc\\\\.cluster\\\\.local"}[10s])))',
    });
    const retry = meshViewQueries(slos[3]!, spec.target, prometheus, 10_000);
    expect(retry.part).toMatch(/^sum\(increase\(envoy_cluster_upstream_rq_retry_success\{/);
    expect(retry.whole).toMatch(/^sum\(increase\(envoy_cluster_upstream_rq_retry\{/);
  });
});

describe('measureMeshViewSlos', () => {
  it('divides part by whole; a flag without a series of its own is 0 of the whole', async () => {
    const source = fakeSource([['response_flags', undefined], ['istio_requests_total', 400], ['retry_success', 45], ['upstream_rq_retry{', 50], ['ejections', 1]]);
    const m = await measureMeshViewSlos({ slos, source, target: spec.target, prometheus, windowMs: 10_000, timeMs: 1 });
    expect(m.get(slos[0]!)).toMatchObject({ value: 0, counts: { part: 0, whole: 400 } });
    expect(m.get(slos[2]!)).toMatchObject({ value: 1, counts: { part: 1, whole: null } });
    expect(m.get(slos[3]!)).toMatchObject({ value: 0.9, counts: { part: 45, whole: 50 } });
  });

  it('has no data when the whole has no series, naming proxyStatsMatcher for Envoy stats', async () => {
    const m = await measureMeshViewSlos({ slos, source: fakeSource([]), target: spec.target, prometheus, windowMs: 10_000, timeMs: 1 });
    expect(m.get(slos[0]!)).toMatchObject({ value: null, noDataReason: 'the query returned no series: cluster_name matched nothing' });
    expect(m.get(slos[2]!)!.noDataReason).toContain('proxyStatsMatcher');
    expect(m.get(slos[3]!)!.noDataReason).toContain('https://istio.io/latest/docs/ops/configuration/telemetry/envoy-stats/');
  });

  it('has no data for a retry rate over no retries', async () => {
    const m = await measureMeshViewSlos({ slos: [slos[3]!], source: fakeSource([['retry', 0]]), target: spec.target, prometheus, windowMs: 10_000, timeMs: 1 });
    expect(m.get(slos[3]!)).toMatchObject({ value: null, counts: { part: 0, whole: 0 } });
  });
});
