import { describe, expect, it } from 'vitest';
import { isSubjectCluster, measurementOf, targetFqdn, type MeshViewSlo } from './mesh-view.js';
import { slo } from '../../test/unit/analysis/builders.js';

const target = { host: 'reviews', namespace: 'default', stable: 'v1', canary: 'v2' };

describe('mesh-view clusters', () => {
  it('qualifies a short host with the namespace', () => {
    expect(targetFqdn(target)).toBe('reviews.default.svc.cluster.local');
    expect(targetFqdn({ ...target, host: 'reviews.default' })).toBe('reviews.default');
  });

  it('picks the subject\'s outbound cluster of the target host, on any port', () => {
    expect(isSubjectCluster('outbound|9080|v2|reviews.default.svc.cluster.local', 'canary', target)).toBe(true);
    expect(isSubjectCluster('outbound|80|v1|reviews.default.svc.cluster.local', 'canary', target)).toBe(false);
    expect(isSubjectCluster('outbound|80|v1|reviews.default.svc.cluster.local', 'stable', target)).toBe(true);
    expect(isSubjectCluster('outbound|80||reviews.default.svc.cluster.local', 'all', target)).toBe(true);
    expect(isSubjectCluster('inbound|80|v2|reviews.default.svc.cluster.local', 'canary', target)).toBe(false);
    expect(isSubjectCluster('outbound|80|v2|reviews.other.svc.cluster.local', 'canary', target)).toBe(false);
    expect(isSubjectCluster('outbound|80|v2|reviewsx.default.svc.cluster.local', 'canary', target)).toBe(false);
    expect(isSubjectCluster('outbound|80|v2|reviews.default.svc.cluster.local', 'canary', { ...target, host: 'reviews.default' })).toBe(true);
  });
});

describe('measurementOf', () => {
  it('divides a ratio, counts ejections as they are, and has no data over nothing', () => {
    const flag = slo({ kind: 'response-flag', flag: 'UO', max: '30%' }) as MeshViewSlo;
    expect(measurementOf(flag, { part: 1, whole: 4 }, 'q')).toEqual({ value: 0.25, query: 'q', counts: { part: 1, whole: 4 } });
    expect(measurementOf(flag, { part: 0, whole: 0 }, 'q')).toMatchObject({ value: null, noDataReason: 'no requests to the target host in the step' });
    const ej = slo({ kind: 'ejections', max: 0 }) as MeshViewSlo;
    expect(measurementOf(ej, { part: 0, whole: null }, 'q')).toEqual({ value: 0, query: 'q', counts: { part: 0, whole: null } });
  });
});
