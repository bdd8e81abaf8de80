import { describe, expect, it } from 'vitest';
import type { DestinationRule, VirtualService } from '../../istio/types.js';
import { createDiagnostics } from './diagnostics.js';
import { DEFAULT_DEMO, planWorkloads } from './workload-plan.js';

const dr = (host: string, subsets: DestinationRule['spec']['subsets'], extra: Partial<DestinationRule['spec']> = {}, name = host): DestinationRule => ({
  apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name }, spec: { host, subsets, ...extra },
});
const vs = (http: VirtualService['spec']['http']): VirtualService => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'x' }, spec: { hosts: ['x'], http },
});

describe('planWorkloads', () => {
  it('one workload per DestinationRule subset, named <service>-<subset>, version from labels', () => {
    const d = createDiagnostics();
    const plans = planWorkloads({
      virtualServices: [],
      destinationRules: [dr('reviews', [{ name: 'v1', labels: { version: 'v1' } }, { name: 'canary', labels: { version: 'v2', app: 'rev' } }], { trafficPolicy: { loadBalancer: { simple: 'RANDOM' } } })],
      backends: [],
      namespace: 'default',
    }, d);
    const svc = plans.get('reviews.default.svc.cluster.local')!;
    expect(svc.lb).toBe('RANDOM');
    expect([...svc.workloads.keys()]).toEqual(['v1', 'canary']);
    expect(svc.workloads.get('canary')!.workload).toMatchObject({ name: 'reviews-canary', version: 'v2', app: 'rev', subset: 'canary', serviceName: 'reviews', namespace: 'default' });
    expect(svc.workloads.get('v1')!.lb).toBe('RANDOM');
    expect(svc.workloads.get('v1')!.demo).toBe(DEFAULT_DEMO);
    expect(d.errors).toEqual([]);
  });

  it('a host only named by a VirtualService gets one implicit workload', () => {
    const plans = planWorkloads({
      virtualServices: [vs([{ route: [{ destination: { host: 'httpbin' } }], mirror: { host: 'shadow.other.svc.cluster.local' } }])],
      destinationRules: [], backends: [], namespace: 'default',
    }, createDiagnostics());
    expect([...plans.keys()]).toEqual(['httpbin.default.svc.cluster.local', 'shadow.other.svc.cluster.local']);
    expect(plans.get('shadow.other.svc.cluster.local')!.workloads.get('')!.workload).toMatchObject({ name: 'shadow', namespace: 'other', version: 'unknown' });
  });

  it('backends override demo parameters, replicas and commands per (host, subset)', () => {
    const d = createDiagnostics();
    const plans = planWorkloads({
      virtualServices: [],
      destinationRules: [dr('reviews', [{ name: 'v1' }, { name: 'v2' }])],
      backends: [
        { host: 'reviews', subset: 'v2', replicas: 3, readyPath: '/', demo: { latency: { median: 1, p99: 2 }, errorRate: 0.1 } },
        { host: 'reviews.default.svc.cluster.local', subset: 'v1', replicas: 1, readyPath: '/health', command: ['node', 'srv.js'] },
      ],
      namespace: 'default',
    }, d);
    const w = plans.get('reviews.default.svc.cluster.local')!.workloads;
    expect(w.get('v2')).toMatchObject({ replicas: 3, demo: { errorRate: 0.1 } });
    expect(w.get('v1')).toMatchObject({ command: ['node', 'srv.js'], readyPath: '/health' });
    expect(d.errors).toEqual([]);
  });

  it('a backend for an unknown host or subset is an error with a hint', () => {
    const d = createDiagnostics();
    planWorkloads({
      virtualServices: [],
      destinationRules: [dr('reviews', [{ name: 'v1' }])],
      backends: [
        { host: 'ratings', subset: 'v1', replicas: 1, readyPath: '/' },
        { host: 'reviews', subset: 'v9', replicas: 1, readyPath: '/' },
        { host: 'reviews', subset: 'v1', replicas: 1, readyPath: '/', demo: { latency: { median: 10, p99: 5 }, errorRate: 0 } },
      ],
      namespace: 'default',
    }, d);
    expect(d.errors.map((e) => e.path)).toEqual(['backends[0].host', 'backends[1].subset', 'backends[2].demo.latency']);
    expect(d.errors[1]!.hint).toBe('subsets: v1');
  });

  it('a second DestinationRule for the same host is ignored with a warning; duplicate subsets are errors', () => {
    const d = createDiagnostics();
    const plans = planWorkloads({
      virtualServices: [],
      destinationRules: [dr('reviews', [{ name: 'v1' }]), dr('reviews', [{ name: 'v2' }], {}, 'reviews-2'), dr('ratings', [{ name: 'v1' }, { name: 'v1' }])],
      backends: [], namespace: 'default',
    }, d);
    expect([...plans.get('reviews.default.svc.cluster.local')!.workloads.keys()]).toEqual(['v1']);
    expect(d.warnings[0]!.message).toMatch(/DestinationRule default\/reviews-2: .*already applies/);
    expect(d.errors[0]!.path).toBe('spec.subsets[1].name');
  });

  it('outlierDetection: a subset’s own replaces the rule’s; bad values are warnings with paths', () => {
    const d = createDiagnostics();
    const plans = planWorkloads({
      virtualServices: [vs([{ route: [{ destination: { host: 'ratings' } }] }])],
      destinationRules: [
        dr('reviews', [{ name: 'v1' }, { name: 'v2', trafficPolicy: { outlierDetection: { consecutive5xxErrors: 2 } } }], { trafficPolicy: { outlierDetection: { interval: 'soon' } } }),
        dr('ratings', undefined, { trafficPolicy: { outlierDetection: { consecutiveGatewayErrors: 1 } } }),
      ],
      backends: [],
      namespace: 'default',
    }, d);
    const reviews = plans.get('reviews.default.svc.cluster.local')!;
    expect(reviews.outlier).toMatchObject({ consecutive5xx: 5, intervalMs: 10_000 });
    expect(reviews.workloads.get('v1')!.outlier).toBe(reviews.outlier);
    expect(reviews.workloads.get('v2')!.outlier).toMatchObject({ consecutive5xx: 2 });
    expect(plans.get('ratings.default.svc.cluster.local')!.workloads.get('')!.outlier).toMatchObject({ consecutiveGateway: 1 });
    expect(d.warnings.map((w) => w.path)).toEqual(['spec.trafficPolicy.outlierDetection.interval']);
  });
});
