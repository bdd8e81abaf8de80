import { describe, expect, it } from 'vitest';
import { createContext } from '../context.js';
import { fakeMetricSource } from '../../test/support/fake-metric-source.js';
import { istioSpecWithSlos } from '../../test/support/mesh-view-spec.js';
import { measureMeshSide } from './mesh-side.js';

const spec = istioSpecWithSlos([{ kind: 'retry-success-rate', min: '90%' }]);

const source = (value: number) => fakeMetricSource(() => value);

describe('measureMeshSide: the mesh-view SLOs', () => {
  it('are measured from Prometheus when asked (a cluster provider)', async () => {
    const s = source(4);
    const side = await measureMeshSide({ source: s, prometheus: spec.metrics!.prometheus!, target: spec.target, slos: spec.slos, meshView: true, startedAt: 0, ctx: createContext() });
    expect(side.measurements.get(spec.slos[0]!)).toMatchObject({ value: 1, counts: { part: 4, whole: 4 } });
    expect(s.asked.some((q) => q.includes('envoy_cluster_upstream_rq_retry_success'))).toBe(true);
  });

  it('are left to the local mesh\'s admin otherwise (no query sent for them)', async () => {
    const s = source(4);
    const side = await measureMeshSide({ source: s, prometheus: spec.metrics!.prometheus!, target: spec.target, slos: spec.slos, startedAt: 0, ctx: createContext() });
    expect(side.measurements.has(spec.slos[0]!)).toBe(false);
    expect(s.asked.some((q) => q.includes('envoy_cluster'))).toBe(false);
  });
});
