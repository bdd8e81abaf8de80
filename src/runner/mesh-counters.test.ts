import { describe, expect, it } from 'vitest';
import { slo } from '../../test/unit/analysis/builders.js';
import type { MeshViewSlo } from '../metrics/mesh-view.js';
import { parseClusterStats, tallyAt, tallyBetween, type MeshReading } from './mesh-counters.js';

const target = { host: 'reviews', namespace: 'default', stable: 'v1', canary: 'v2' };
const spec = (s: Record<string, unknown>) => slo(s) as MeshViewSlo;
const V2 = 'outbound|80|v2|reviews.default.svc.cluster.local';
const V1 = 'outbound|80|v1|reviews.default.svc.cluster.local';

const stats = (v2: Record<string, number>, v1: Record<string, number> = {}) =>
  [...Object.entries(v2).map(([k, v]) => `cluster.${V2}.${k}: ${v}`), ...Object.entries(v1).map(([k, v]) => `cluster.${V1}.${k}: ${v}`), 'cluster.outbound|80|v2|ratings.default.svc.cluster.local.upstream_rq_retry: 99']
    .sort()
    .join('\n');

const series = (version: string, flags: string, n: number, service = 'reviews.default.svc.cluster.local', reporter = 'source') =>
  `istio_requests_total{reporter="${reporter}",destination_version="${version}",destination_service="${service}",response_code="503",response_flags="${flags}"} ${n}`;
const reading = (metrics: string[], statsText = ''): MeshReading => ({ metrics: `# TYPE istio_requests_total counter\n${metrics.join('\n')}\n`, stats: statsText });

describe('parseClusterStats', () => {
  it('finds the stat by its known name although cluster names hold dots and pipes', () => {
    const parsed = parseClusterStats(`cluster.${V2}.outlier_detection.ejections_enforced_total: 2\ncluster.${V2}.upstream_rq_retry_success: 5\ncluster.${V2}.upstream_rq_retry: 7\ncluster.${V2}.upstream_rq_total: 100\n`);
    expect(parsed).toEqual([
      { cluster: V2, stat: 'outlier_detection.ejections_enforced_total', value: 2 },
      { cluster: V2, stat: 'upstream_rq_retry_success', value: 5 },
      { cluster: V2, stat: 'upstream_rq_retry', value: 7 },
    ]);
  });
});

describe('tallyAt / tallyBetween', () => {
  it('counts a flag among the source reporter\'s requests to the host; canary only what v2 answered', () => {
    const r = reading([series('v2', '-', 300), series('unknown', 'UO', 24), series('v1', '-', 330), series('v2', 'URX', 2), series('v2', 'UO', 5, 'ratings.default.svc.cluster.local'), series('v2', 'UO', 7, undefined, 'destination')]);
    expect(tallyAt(spec({ kind: 'response-flag', flag: 'UO', max: '30%' }), r, target)).toEqual({ part: 24, whole: 656 });
    expect(tallyAt(spec({ kind: 'response-flag', flag: 'URX', subject: 'canary', max: '1%' }), r, target)).toEqual({ part: 2, whole: 302 });
  });

  it('matches a flag inside a combined value ("UT,URX") and not as a prefix', () => {
    const r = reading([series('v2', 'UT,URX', 3), series('v2', 'URXX', 1)]);
    expect(tallyAt(spec({ kind: 'response-flag', flag: 'URX', subject: 'canary', max: '1%' }), r, target).part).toBe(3);
  });

  it('sums the subject\'s clusters of the target host only', () => {
    const s = stats({ 'outlier_detection.ejections_enforced_total': 1, upstream_rq_retry: 10, upstream_rq_retry_success: 9 }, { 'outlier_detection.ejections_enforced_total': 2, upstream_rq_retry: 4, upstream_rq_retry_success: 1 });
    const r = reading([], s);
    expect(tallyAt(spec({ kind: 'ejections', min: 1 }), r, target)).toEqual({ part: 1, whole: null });
    expect(tallyAt(spec({ kind: 'ejections', subject: 'all', min: 1 }), r, target)).toEqual({ part: 3, whole: null });
    expect(tallyAt(spec({ kind: 'retry-success-rate', subject: 'stable', min: '1%' }), r, target)).toEqual({ part: 1, whole: 4 });
  });

  it('diffs two readings; a counter that went down was reset and counts from 0', () => {
    const retry = spec({ kind: 'retry-success-rate', min: '90%' });
    const before = reading([], stats({ upstream_rq_retry: 10, upstream_rq_retry_success: 9 }));
    const after = reading([], stats({ upstream_rq_retry: 58, upstream_rq_retry_success: 51 }));
    expect(tallyBetween(retry, before, after, target)).toEqual({ part: 42, whole: 48 });
    const rebuilt = reading([], stats({ upstream_rq_retry: 6, upstream_rq_retry_success: 5 }));
    expect(tallyBetween(retry, before, rebuilt, target)).toEqual({ part: 5, whole: 6 });
  });
});
