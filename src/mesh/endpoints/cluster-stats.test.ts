import { describe, expect, it } from 'vitest';
import { ClusterStats, statsText } from './cluster-stats.js';

describe('cluster stats', () => {
  it('starts listed stats at 0 and adds to known and new ones', () => {
    const s = new ClusterStats(['upstream_rq_total']);
    expect(s.get('upstream_rq_total')).toBe(0);
    s.add('upstream_rq_total');
    s.add('upstream_rq_active', 2);
    s.add('upstream_rq_active', -1);
    expect(s.get('upstream_rq_total')).toBe(1);
    expect(s.get('upstream_rq_active')).toBe(1);
    expect(s.get('never')).toBe(0);
    let n = 4;
    s.read('upstream_rq_pending_active', () => n);
    n = 5;
    expect(s.get('upstream_rq_pending_active')).toBe(5);
    expect(s.entries()).toContainEqual(['upstream_rq_pending_active', 5]);
  });

  it("writes Envoy's text format, sorted", () => {
    const a = new ClusterStats(['upstream_rq_total', 'upstream_rq_pending_overflow']);
    a.add('upstream_rq_pending_overflow', 3);
    const b = new ClusterStats(['upstream_rq_total']);
    b.add('upstream_rq_total', 7);
    const text = statsText([
      { name: 'outbound|80|v2|reviews.default.svc.cluster.local', stats: a },
      { name: 'outbound|80|v1|reviews.default.svc.cluster.local', stats: b },
    ]);
    expect(text).toBe([
      'cluster.outbound|80|v1|reviews.default.svc.cluster.local.upstream_rq_total: 7',
      'cluster.outbound|80|v2|reviews.default.svc.cluster.local.upstream_rq_pending_overflow: 3',
      'cluster.outbound|80|v2|reviews.default.svc.cluster.local.upstream_rq_total: 0',
      '',
    ].join('\n'));
    expect(statsText([])).toBe('');
  });

  it('carries counters, not gauges, from the cluster it replaces; its own counts add to them', () => {
    const old = new ClusterStats(['upstream_rq_total']);
    old.add('upstream_rq_total', 5);
    old.add('upstream_rq_active', 2);
    let overflow = 3;
    old.read('upstream_rq_pending_overflow', () => overflow);
    old.add('outlier_detection.ejections_enforced_total');
    const next = new ClusterStats(['upstream_rq_total']);
    next.carry(old);
    overflow = 9; // a count the old cluster makes after the carry is not seen by the new one
    next.add('upstream_rq_total', 2);
    next.add('upstream_rq_active', 1);
    expect(next.get('upstream_rq_total')).toBe(7);
    expect(next.get('upstream_rq_active')).toBe(1);
    expect(next.get('upstream_rq_pending_overflow')).toBe(3);
    // A counter the new cluster does not report itself (no outlier detection now) is still listed.
    expect(new Map(next.entries())).toEqual(new Map([
      ['upstream_rq_total', 7], ['upstream_rq_active', 1], ['upstream_rq_pending_overflow', 3], ['outlier_detection.ejections_enforced_total', 1],
    ]));
    // Carried again, the sums carry on.
    const third = new ClusterStats();
    third.carry(next);
    expect(third.get('upstream_rq_total')).toBe(7);
    expect(third.get('upstream_rq_active')).toBe(0);
  });
});
