import { describe, expect, it } from 'vitest';
import { sloSchema } from '../../experiment/schema.js';
import { k6Thresholds } from './thresholds.js';

const target = { stable: 'v1', canary: 'v2.1-rc_1' };

describe('k6Thresholds', () => {
  it('maps every latency percentile to k6 trend methods and merges SLOs on the same submetric', () => {
    const slos = [
      { kind: 'latency', percentile: 'p99.9', max: '1s' },
      { kind: 'latency', percentile: 'max', max: '1.5s' },
      { kind: 'latency', percentile: 'p90', subject: 'stable', max: '250ms' },
      { kind: 'latency', percentile: 'p95', subject: 'all', max: '1.5ms' },
    ].map((s) => sloSchema.parse(s));
    expect(k6Thresholds({ slos, target })).toEqual({
      thresholds: {
        'mesh_exp_latency{version:v2.1-rc_1}': ['p(99.9)<=1000', 'max<=1500'],
        'mesh_exp_latency{version:v1}': ['p(90)<=250'],
        mesh_exp_latency: ['p(95)<=1.5'],
      },
      skipped: [],
    });
  });

  it('judges error rates on the mesh_exp_failed Rate (a share), and lists prometheus SLOs as skipped', () => {
    const slos = [
      { kind: 'error-rate', max: '0.1%' },
      { kind: 'prometheus', name: 'success', builtin: 'request-success-rate', min: 99 },
    ].map((s) => sloSchema.parse(s));
    const { thresholds, skipped } = k6Thresholds({ slos, target });
    expect(thresholds).toEqual({ 'mesh_exp_failed{version:v2.1-rc_1}': ['rate<=0.001'] });
    expect(skipped).toEqual(['success (canary): judged on Prometheus by mesh-exp, not visible to k6']);
  });

  it('lists the mesh-view SLOs as skipped: k6 never sees the mesh\'s counters', () => {
    const slos = [{ kind: 'response-flag', flag: 'UO', max: '30%' }, { kind: 'ejections', min: 1 }].map((s) => sloSchema.parse(s));
    const { thresholds, skipped } = k6Thresholds({ slos, target });
    expect(thresholds).toEqual({});
    expect(skipped).toEqual([
      "response-flag (all): the mesh's own view (its admin or Prometheus), judged by mesh-exp, not visible to k6",
      "ejections (canary): the mesh's own view (its admin or Prometheus), judged by mesh-exp, not visible to k6",
    ]);
  });
});
