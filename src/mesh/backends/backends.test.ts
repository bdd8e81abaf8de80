import { describe, expect, it } from 'vitest';
import type { DestinationRule } from '../../istio/types.js';
import { diffWorkloads, plannedWorkloads, workloadKey } from './backends.js';
import { createDiagnostics } from '../config/diagnostics.js';
import { planWorkloads } from '../config/workload-plan.js';

const dr = (subsets: DestinationRule['spec']['subsets'], lb?: 'RANDOM'): DestinationRule => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'reviews', namespace: 'default' },
  spec: { host: 'reviews', subsets, ...(lb ? { trafficPolicy: { loadBalancer: { simple: lb } } } : {}) },
});
const plan = (d: DestinationRule, backends: Parameters<typeof planWorkloads>[0]['backends'] = []) =>
  planWorkloads({ virtualServices: [], destinationRules: [d], backends, namespace: 'default', unmatchedBackends: 'ignore' }, createDiagnostics());
const keysOf = (d: DestinationRule) => [...plannedWorkloads(plan(d)).keys()];

describe('diffWorkloads', () => {
  it('a subset that appears is started, one that goes away is stopped, the others are kept', () => {
    const running = keysOf(dr([{ name: 'v1' }, { name: 'v2' }]));
    const diff = diffWorkloads(running, plannedWorkloads(plan(dr([{ name: 'v1' }, { name: 'v3' }]))));
    expect(diff.start.map((w) => w.workload.name)).toEqual(['reviews-v3']);
    expect(diff.keep).toEqual([running[0]]);
    expect(diff.stop).toEqual([running[1]]);
  });

  it('the same plan changes nothing', () => {
    const running = keysOf(dr([{ name: 'v1' }, { name: 'v2' }]));
    expect(diffWorkloads(running, plannedWorkloads(plan(dr([{ name: 'v1' }, { name: 'v2' }]))))).toEqual({ start: [], keep: running, stop: [] });
  });

  it('a workload whose labels change is replaced (the demo answers with its version label)', () => {
    const running = keysOf(dr([{ name: 'v1', labels: { version: 'v1' } }]));
    const diff = diffWorkloads(running, plannedWorkloads(plan(dr([{ name: 'v1', labels: { version: 'v1.1' } }]))));
    expect(diff.start.map((w) => w.workload.version)).toEqual(['v1.1']);
    expect(diff.stop).toEqual(running);
  });

  it('a load-balancer change keeps the replicas (it lives in the cluster)', () => {
    const running = keysOf(dr([{ name: 'v1' }]));
    expect(diffWorkloads(running, plannedWorkloads(plan(dr([{ name: 'v1' }], 'RANDOM')))).keep).toEqual(running);
  });

  it('label order does not matter; replicas and demo parameters do', () => {
    const a = plannedWorkloads(plan(dr([{ name: 'v1', labels: { app: 'r', version: 'v1' } }])));
    const b = plannedWorkloads(plan(dr([{ name: 'v1', labels: { version: 'v1', app: 'r' } }])));
    expect([...a.keys()]).toEqual([...b.keys()]);
    const two = plan(dr([{ name: 'v1' }]), [{ host: 'reviews', subset: 'v1', replicas: 2, readyPath: '/', demo: { latency: { median: 1, p99: 2 }, errorRate: 0 } }]);
    const w = two.get('reviews.default.svc.cluster.local')!.workloads.get('v1')!;
    expect(workloadKey(w)).not.toBe(keysOf(dr([{ name: 'v1' }]))[0]);
  });

  it('backend overrides for a subset not defined yet are ignored in a live plan', () => {
    const d = createDiagnostics();
    planWorkloads({ virtualServices: [], destinationRules: [dr([{ name: 'v1' }])], backends: [{ host: 'reviews', subset: 'v9', replicas: 1, readyPath: '/' }], namespace: 'default', unmatchedBackends: 'ignore' }, d);
    expect(d.errors).toEqual([]);
  });
});
